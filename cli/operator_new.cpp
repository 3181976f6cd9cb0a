// The process's operator new and delete, through serve's per-thread cache of freed blocks (serve/thread_cache.hpp):
// a proxied request allocates its stream, fields and heads, and frees them requests later, in numbers glibc's own
// thread cache does not hold. Linked into the sslbind binary only, and not under the sanitizers.
#include <new>

#include "serve/thread_cache.hpp"

namespace cache = sslbind::serve::thread_cache;

void* operator new(std::size_t size) {
  if (void* block = cache::allocate(size)) return block;
  throw std::bad_alloc();
}

void* operator new[](std::size_t size) { return ::operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return cache::allocate(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return cache::allocate(size); }
void operator delete(void* block) noexcept { cache::release(block); }
void operator delete[](void* block) noexcept { cache::release(block); }
void operator delete(void* block, std::size_t) noexcept { cache::release(block); }
void operator delete[](void* block, std::size_t) noexcept { cache::release(block); }
void operator delete(void* block, const std::nothrow_t&) noexcept { cache::release(block); }
void operator delete[](void* block, const std::nothrow_t&) noexcept { cache::release(block); }
