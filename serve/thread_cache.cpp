#include "serve/thread_cache.hpp"

#include <malloc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <utility>

namespace sslbind::serve::thread_cache {
namespace {

// A class is a size of glibc's chunks (16-byte steps, 32 at least), whose blocks hold the chunk less 8 bytes: a
// request is served from the class malloc would have given it, so that the cache wastes no byte malloc would not.
constexpr std::size_t kStep = 16;
constexpr std::size_t kHeader = 8;
constexpr std::size_t class_of_request(std::size_t size) {
  return std::max<std::size_t>(2, (size + kHeader + kStep - 1) / kStep);
}
constexpr std::size_t class_of_block(std::size_t usable) { return (usable + kHeader) / kStep; }
constexpr std::size_t kClasses = class_of_request(kMaxSize) + 1;

struct FreeBlock {
  FreeBlock* next;
};

// The lists of one thread. Trivial, so that they need no construction and stay valid for the thread's whole life,
// whatever other thread-local objects free while they are destroyed.
struct Lists {
  std::array<FreeBlock*, kClasses> head;
  std::array<std::size_t, kClasses> count;
  std::size_t bytes;  // held in all lists
};
thread_local Lists lists{};
thread_local bool alive = true;

// Made at a thread's first release(), before any block is kept: when the thread ends, it empties the lists, and
// every block freed after that goes to free().
struct Drain {
  ~Drain() {
    alive = false;
    for (FreeBlock*& head : lists.head) {
      while (head != nullptr) std::free(std::exchange(head, head->next));
    }
  }
};

}  // namespace

void* allocate(std::size_t size) noexcept {
  if (!kCaching || size > kMaxSize || !alive) return std::malloc(size == 0 ? 1 : size);
  const std::size_t cls = class_of_request(size);
  if (FreeBlock* block = lists.head[cls]) {
    lists.head[cls] = block->next;
    --lists.count[cls];
    lists.bytes -= cls * kStep;
    return block;
  }
  return std::malloc(size == 0 ? 1 : size);
}

void release(void* block) noexcept {
  if (block == nullptr) return;
  if (!kCaching) return std::free(block);
  static thread_local Drain drain;
  // What the block can hold, whoever allocated it: a class no larger than that, so that it fits every request the
  // class is given.
  const std::size_t cls = class_of_block(::malloc_usable_size(block));
  if (!alive || cls >= kClasses || cls < 2 || lists.count[cls] >= kMaxBlocksPerSize ||
      lists.bytes + cls * kStep > kMaxBytes) {
    std::free(block);
    return;
  }
  auto* free_block = static_cast<FreeBlock*>(block);
  free_block->next = lists.head[cls];
  lists.head[cls] = free_block;
  ++lists.count[cls];
  lists.bytes += cls * kStep;
}

}  // namespace sslbind::serve::thread_cache
