#pragma once
// nghttp2's allocator for one HTTP/2 session. nghttp2 1.52 keeps a 16 KiB frame buffer per session for its whole
// life (plus about 9 KiB of tables), so that an idle connection would cost twice an HTTP/1.1 one. Blocks of that
// size are taken from the kernel as pages of their own (mmap), and release_idle() hands their pages back
// (MADV_DONTNEED) while the session has nothing to send: the next frame is written into fresh zero pages. Smaller
// blocks come from the thread's cache of freed blocks (thread_cache.hpp). One session's allocator is used on its
// connection's thread only.
#include <nghttp2/nghttp2.h>

#include <cstddef>
#include <vector>

namespace sslbind::serve {

class Http2Memory {
 public:
  Http2Memory();
  ~Http2Memory();
  Http2Memory(const Http2Memory&) = delete;
  Http2Memory& operator=(const Http2Memory&) = delete;

  nghttp2_mem* mem() { return &mem_; }
  // nghttp2 has written into its frame buffer since the last release.
  void touched() { released_ = false; }
  // The session's frame buffer holds nothing to send: its pages go back to the kernel.
  void release_idle();

 private:
  struct Block {
    void* data;
    std::size_t size;  // the mapping's, whole pages
  };
  static void* allocate(std::size_t size, void* self);
  static void release(void* data, void* self);
  static void* allocate_zeroed(std::size_t count, std::size_t size, void* self);
  static void* reallocate(void* data, std::size_t size, void* self);
  std::vector<Block>::iterator find(void* data);

  nghttp2_mem mem_;
  std::vector<Block> pages_;  // the blocks taken as pages
  bool released_ = true;
};

}  // namespace sslbind::serve
