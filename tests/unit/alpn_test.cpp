#include "serve/alpn.hpp"

#include <doctest/doctest.h>

using namespace sslbind;
using namespace sslbind::serve;

namespace {

std::string wire(std::initializer_list<std::string_view> names) {
  std::string out;
  for (std::string_view n : names) out += static_cast<char>(n.size()) + std::string(n);
  return out;
}

Binding with_flags(std::uint32_t flags) {
  Binding b;
  b.settings.flags = flags;
  return b;
}

}  // namespace

TEST_SUITE("alpn") {
  TEST_CASE("the offer: h2 before http/1.1 only with an HTTP/2 session and without disablehttp2") {
    using V = std::vector<std::string_view>;
    CHECK(protocols_for(with_flags(0), false) == V{"http/1.1"});
    CHECK(protocols_for(with_flags(0), true) == V{"h2", "http/1.1"});
    CHECK(protocols_for(with_flags(ssl_flag::kDisableHttp2), true) == V{"http/1.1"});
    CHECK(protocols_for(with_flags(ssl_flag::kDisableHttp2 | ssl_flag::kDisableTls13), false) == V{"http/1.1"});
  }

  TEST_CASE("the server's order wins over the client's") {
    const std::vector<std::string_view> ours{"h2", "http/1.1"};
    CHECK(choose_protocol(wire({"http/1.1", "h2"}), ours) == "h2");
    CHECK(choose_protocol(wire({"http/1.1"}), ours) == "http/1.1");
    CHECK(choose_protocol(wire({"spdy/3", "http/1.1", "imap"}), {"http/1.1"}) == "http/1.1");
  }

  TEST_CASE("no match, and names that only look alike, choose nothing") {
    const std::vector<std::string_view> ours{"http/1.1"};
    CHECK_FALSE(choose_protocol(wire({"spdy/3", "imap"}), ours));
    CHECK_FALSE(choose_protocol(wire({"HTTP/1.1"}), ours));  // protocol names are compared byte for byte
    CHECK_FALSE(choose_protocol(wire({"http/1.10"}), ours));
    CHECK_FALSE(choose_protocol(wire({"http/1."}), ours));
    CHECK_FALSE(choose_protocol("", ours));
  }

  TEST_CASE("a malformed list chooses nothing, even where a valid name came first") {
    const std::vector<std::string_view> ours{"http/1.1"};
    CHECK_FALSE(choose_protocol(wire({"http/1.1"}) + std::string(1, '\0'), ours));          // an empty name
    CHECK_FALSE(choose_protocol(wire({"http/1.1"}) + std::string(1, '\x09') + "h", ours));  // a length past the end
    CHECK_FALSE(choose_protocol(std::string(1, '\x08') + "http/1.", ours));
  }
}
