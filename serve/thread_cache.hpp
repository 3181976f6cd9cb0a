#pragma once
// A per-thread cache of freed small blocks in front of malloc, as HAProxy's pools and jemalloc's thread caches are.
// serve makes some thirty allocations per proxied request, most of them alive across many requests in flight (a
// stream, its fields, its heads); glibc's own thread cache keeps seven blocks of a size, so under load most frees
// and mallocs went through its locked bins (a tenth of serve's CPU, docs/performance.md). Blocks are malloc's own:
// any block may be given back here or to free(), on any thread. Each thread keeps at most kMaxBlocksPerSize blocks
// of each size malloc's chunks take up to kMaxSize, kMaxBytes in all, and none once it ends. The process's operator new
// and delete use it (cli/operator_new.cpp), except under the sanitizers, which must see every free.
#include <cstddef>

namespace sslbind::serve::thread_cache {

// Under AddressSanitizer every block goes straight back to free(), so that a use after free is still caught (and
// its malloc_usable_size() is the size asked for, not malloc's chunk).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kCaching = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kCaching = false;
#else
inline constexpr bool kCaching = true;
#endif
#else
inline constexpr bool kCaching = true;
#endif

inline constexpr std::size_t kMaxSize = 2048;
// 128 streams in flight free their strings in bursts of more than a thousand blocks of one size: the cache must hold
// a burst to serve the next one (caps of 64 and 512 still sent many of them to malloc, counted with uprobes).
inline constexpr std::size_t kMaxBlocksPerSize = 4096;
inline constexpr std::size_t kMaxBytes = 4 * 1024 * 1024;

// A block of at least `size` bytes (malloc's alignment), or nullptr when memory is out.
void* allocate(std::size_t size) noexcept;
// Takes back a block from allocate(), malloc() or realloc(); null is ignored.
void release(void* block) noexcept;

}  // namespace sslbind::serve::thread_cache
