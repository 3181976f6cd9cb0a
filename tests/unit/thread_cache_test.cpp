#include <doctest/doctest.h>
#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "serve/thread_cache.hpp"

namespace cache = sslbind::serve::thread_cache;

TEST_SUITE("serve::thread_cache") {
  TEST_CASE("a freed block is given again to a request of its size, and holds every byte asked for") {
    void* a = cache::allocate(100);
    REQUIRE(a != nullptr);
    CHECK(::malloc_usable_size(a) >= 100);
    cache::release(a);
    void* b = cache::allocate(97);  // the same size of malloc's chunks
    if (cache::kCaching) CHECK(b == a);
    std::memset(b, 0x5a, 97);
    cache::release(b);
  }

  TEST_CASE("a block from malloc is kept in a class it can hold, whatever size it was asked with") {
    for (const std::size_t size : std::vector<std::size_t>{1, 15, 16, 17, 24, 100, 1000, 2000, 2048}) {
      CAPTURE(size);
      void* block = std::malloc(size);
      REQUIRE(block != nullptr);
      const std::size_t usable = ::malloc_usable_size(block);
      cache::release(block);
      // The largest request that may be given this block: its chunk (usable + 8, rounded down to 16) less 8.
      const std::size_t largest = (usable + 8) / 16 * 16 - 8;
      if (largest > cache::kMaxSize) continue;
      void* again = cache::allocate(largest);
      CHECK(::malloc_usable_size(again) >= largest);
      std::memset(again, 0xa5, largest);
      cache::release(again);
    }
  }

  TEST_CASE("each size keeps up to kMaxBlocksPerSize blocks, and larger blocks are never kept") {
    // On a thread of its own, whose lists start empty whatever other cases left in this one's.
    std::size_t reused = 0;
    std::thread fresh([&reused] {
      std::vector<void*> blocks;
      for (std::size_t i = 0; i < cache::kMaxBlocksPerSize + 10; ++i) blocks.push_back(cache::allocate(48));
      for (void* b : blocks) cache::release(b);
      std::vector<void*> again;
      for (std::size_t i = 0; i < cache::kMaxBlocksPerSize + 10; ++i) {
        again.push_back(cache::allocate(48));
        if (std::find(blocks.begin(), blocks.end(), again.back()) != blocks.end()) ++reused;
      }
      for (void* b : again) cache::release(b);
    });
    fresh.join();
    if (cache::kCaching) CHECK(reused >= cache::kMaxBlocksPerSize);

    void* big = cache::allocate(cache::kMaxSize + 1);
    REQUIRE(big != nullptr);
    cache::release(big);  // to free(): under AddressSanitizer a use after this would be reported
    cache::release(nullptr);
  }

  TEST_CASE("blocks freed on another thread, and by a thread that ends, are taken back without a leak or a crash") {
    std::vector<void*> made;
    for (int i = 0; i < 100; ++i) made.push_back(cache::allocate(64 + static_cast<std::size_t>(i)));
    std::thread other([&made] {
      for (void* b : made) cache::release(b);  // kept by this thread, freed when it ends
      void* mine = cache::allocate(64);
      cache::release(mine);
    });
    other.join();
    void* after = cache::allocate(64);
    CHECK(after != nullptr);
    cache::release(after);
  }
}
