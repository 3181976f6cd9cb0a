#include "serve/http2_memory.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "serve/thread_cache.hpp"

namespace sslbind::serve {
namespace {

// nghttp2's frame buffer chunk (NGHTTP2_FRAMEBUF_CHUNKLEN) is 16394 bytes; its tables are 4 KiB and less.
constexpr std::size_t kPagedFrom = 16 * 1024;

std::size_t whole_pages(std::size_t size) {
  static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return (size + page - 1) / page * page;
}

Http2Memory& of(void* self) { return *static_cast<Http2Memory*>(self); }

}  // namespace

Http2Memory::Http2Memory() : mem_{this, allocate, release, allocate_zeroed, reallocate} {}

Http2Memory::~Http2Memory() {
  for (const Block& b : pages_) ::munmap(b.data, b.size);
}

std::vector<Http2Memory::Block>::iterator Http2Memory::find(void* data) {
  return std::find_if(pages_.begin(), pages_.end(), [data](const Block& b) { return b.data == data; });
}

void* Http2Memory::allocate(std::size_t size, void* self) {
  if (size < kPagedFrom) return thread_cache::allocate(size);
  const std::size_t mapped = whole_pages(size);
  void* data = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (data == MAP_FAILED) return nullptr;
  of(self).pages_.push_back({data, mapped});
  return data;
}

void Http2Memory::release(void* data, void* self) {
  if (data == nullptr) return;
  Http2Memory& m = of(self);
  if (const auto it = m.find(data); it != m.pages_.end()) {
    ::munmap(it->data, it->size);
    m.pages_.erase(it);
    return;
  }
  thread_cache::release(data);
}

void* Http2Memory::allocate_zeroed(std::size_t count, std::size_t size, void* self) {
  if (size != 0 && count > static_cast<std::size_t>(-1) / size) return nullptr;
  if (count * size < kPagedFrom) {
    void* block = thread_cache::allocate(count * size);
    if (block != nullptr) std::memset(block, 0, count * size);
    return block;
  }
  return allocate(count * size, self);  // fresh pages are zero
}

void* Http2Memory::reallocate(void* data, std::size_t size, void* self) {
  Http2Memory& m = of(self);
  const auto it = data == nullptr ? m.pages_.end() : m.find(data);
  if (it == m.pages_.end() && size < kPagedFrom) return std::realloc(data, size);
  void* moved = allocate(size, self);
  if (moved == nullptr || data == nullptr) return moved;
  const auto old = m.find(data);  // found again: allocate() may have grown the list
  std::memcpy(moved, data, std::min(old != m.pages_.end() ? old->size : ::malloc_usable_size(data), size));
  release(data, self);
  return moved;
}

void Http2Memory::release_idle() {
  if (released_) return;
  released_ = true;
  for (const Block& b : pages_) ::madvise(b.data, b.size, MADV_DONTNEED);
}

}  // namespace sslbind::serve
