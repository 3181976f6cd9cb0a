#include "serve/http2_memory.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <string>

using namespace sslbind::serve;

TEST_SUITE("serve::http2_memory") {
  TEST_CASE("small blocks and frame-buffer-sized blocks keep their bytes through realloc, both ways") {
    Http2Memory memory;
    nghttp2_mem* m = memory.mem();
    auto* small = static_cast<char*>(m->malloc(100, m->mem_user_data));
    std::memset(small, 'a', 100);
    auto* big = static_cast<char*>(m->realloc(small, 20'000, m->mem_user_data));  // into pages of its own
    REQUIRE(big != nullptr);
    CHECK(std::string(big, 100) == std::string(100, 'a'));
    std::memset(big, 'b', 20'000);
    auto* bigger = static_cast<char*>(m->realloc(big, 40'000, m->mem_user_data));
    CHECK(std::string(bigger, 20'000) == std::string(20'000, 'b'));
    auto* back = static_cast<char*>(m->realloc(bigger, 50, m->mem_user_data));  // a small one again
    CHECK(std::string(back, 50) == std::string(50, 'b'));
    m->free(back, m->mem_user_data);
    auto* zeroed = static_cast<char*>(m->calloc(2, 10'000, m->mem_user_data));
    CHECK(std::string(zeroed, 20'000) == std::string(20'000, '\0'));
    m->free(zeroed, m->mem_user_data);
    m->free(nullptr, m->mem_user_data);
    CHECK(m->calloc(static_cast<std::size_t>(-1), 2, m->mem_user_data) == nullptr);  // an overflowing size
  }

  TEST_CASE("an idle session's frame buffer goes back to the kernel and reads as new") {
    Http2Memory memory;
    nghttp2_mem* m = memory.mem();
    auto* frame = static_cast<char*>(m->malloc(16'394, m->mem_user_data));
    auto* table = static_cast<char*>(m->malloc(4'096, m->mem_user_data));
    std::memset(frame, 'x', 16'394);
    std::memset(table, 't', 4'096);
    memory.touched();
    memory.release_idle();
    CHECK(frame[0] == '\0');  // fresh zero pages
    CHECK(frame[16'393] == '\0');
    CHECK(table[4'095] == 't');  // a table is state: never given back
    frame[0] = 'y';              // written again, as the next frame would be
    CHECK(frame[0] == 'y');
    m->free(frame, m->mem_user_data);
    m->free(table, m->mem_user_data);
  }
}
