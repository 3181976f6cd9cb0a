#include "serve/session.hpp"

#include <doctest/doctest.h>

using namespace sslbind::serve;

TEST_SUITE("serve::session") {
  TEST_CASE("the session follows the configuration, with ALPN's http/1.1 or no ALPN at all") {
    for (const char* alpn : {"", "http/1.1"}) {
      CAPTURE(alpn);
      CHECK(choose_session(alpn, false, false) == SessionKind::Page);
      CHECK(choose_session(alpn, false, true) == SessionKind::Http1);
      CHECK(choose_session(alpn, true, true) == SessionKind::Forward);  // backend= wins: the bytes go as they come
    }
  }

  TEST_CASE("h2 is proxied to the web farms by an HTTP/2 session") {
    CHECK(choose_session("h2", false, true) == SessionKind::Http2);
  }

  TEST_CASE("a protocol no session speaks is refused, except by byte forwarding, which reads nothing") {
    CHECK_FALSE(choose_session("h2", false, false));  // the built-in page speaks HTTP/1.1 only; h2 is not offered
    CHECK_FALSE(choose_session("spdy/3", false, false));
    CHECK_FALSE(choose_session("spdy/3", false, true));
    CHECK(choose_session("h2", true, false) == SessionKind::Forward);
  }
}
