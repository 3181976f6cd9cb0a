#include <doctest/doctest.h>

#include <string>

#include "serve/http_parser.hpp"
#include "serve/http_rules.hpp"
#include "serve/http_syntax.hpp"

using namespace sslbind::serve;

namespace {

// The head of one request, or the refusal's status.
struct Read {
  HttpHead head;
  int status = 0;
  std::string why;
};

Read read_request(const std::string& text) {
  HttpParser parser(HttpParser::Kind::Request);
  const auto step = parser.feed(text.data(), text.size());
  return {parser.head(), step.error_status, step.error};
}

}  // namespace

TEST_SUITE("serve::http_syntax") {
  TEST_CASE("tokens, field values and target bytes") {
    CHECK(http::is_token("GET"));
    CHECK(http::is_token("A!#$%&'*+-.^_`|~1"));
    CHECK_FALSE(http::is_token(""));
    CHECK_FALSE(http::is_token("a b"));
    CHECK_FALSE(http::is_token("a:b"));
    CHECK_FALSE(http::is_token("\"chunked\""));
    CHECK_FALSE(http::is_token("caf\xc3\xa9"));
    CHECK(http::is_field_value(""));
    CHECK(http::is_field_value("a \tb caf\xc3\xa9"));
    CHECK_FALSE(http::is_field_value(std::string("a\0b", 3)));
    CHECK_FALSE(http::is_field_value("a\rb"));
    CHECK_FALSE(http::is_field_value("a\x7f"));
    CHECK(http::is_target_byte('/'));
    CHECK(http::is_target_byte('|'));
    CHECK_FALSE(http::is_target_byte('#'));
    CHECK_FALSE(http::is_target_byte(' '));
    CHECK_FALSE(http::is_target_byte('\t'));
    CHECK_FALSE(http::is_target_byte(0x80));
  }

  TEST_CASE("list elements and CGI names") {
    const auto e = http::list_elements(" a ,, b\t,c ,");
    REQUIRE(e.size() == 3);
    CHECK(e[0] == "a");
    CHECK(e[1] == "b");
    CHECK(e[2] == "c");
    CHECK(http::list_elements("").empty());
    CHECK(http::list_elements(" , ").empty());
    CHECK(http::cgi_equals("X_Forwarded_For", "x-forwarded-for"));
    CHECK(http::cgi_equals("x-forwarded-for", "x-forwarded-for"));
    CHECK_FALSE(http::cgi_equals("X_Forwarded_Fo", "x-forwarded-for"));
    CHECK(http::cgi_starts_with("X_ARR_SSL", "x-arr-"));
    CHECK_FALSE(http::cgi_starts_with("X_AR", "x-arr-"));
  }

  TEST_CASE("authority: host and port by RFC 3986") {
    for (const char* good : {"a", "www.contoso.com", "www.contoso.com:443", "10.0.0.1:80", "[::1]", "[::1]:8443",
                             "[2001:db8::7]", "a-b_c~d.e", "x%41y", "host:", "a!$&'()*+,;=b"}) {
      CAPTURE(good);
      CHECK(http::parse_authority(good));
    }
    for (const char* bad :
         {"",      ":80", "a b",    "a@b", "a:99999", "a:123456", "a:-1", "a:b",  "a/b",  "[::1",
          "[::g]", "[]",  "[v1.x]", "::1", "a:80:90", "[::1]x",   "a%4",  "a%zz", "a\tb", "caf\xc3\xa9"}) {
      CAPTURE(bad);
      CHECK_FALSE(http::parse_authority(bad));
    }
    const auto a = http::parse_authority("[::1]:8443");
    REQUIRE(a);
    CHECK(a->host == "[::1]");
    CHECK(a->port == 8443U);
    CHECK_FALSE(http::parse_authority("a:")->port);
  }
}

TEST_SUITE("serve::http_rules") {
  TEST_CASE("the authority routed on: absolute-form wins over Host") {
    Read r = read_request("GET https://Other.test:8443/p?q HTTP/1.1\r\nHost: www.test\r\n\r\n");
    CHECK(r.status == 0);
    CHECK(r.head.authority == "Other.test:8443");
    CHECK(r.head.path == "/p?q");
    r = read_request("GET http://a?x HTTP/1.1\r\nHost: b\r\n\r\n");
    CHECK(r.head.authority == "a");
    CHECK(r.head.path == "/?x");
    r = read_request("GET /x HTTP/1.1\r\nHost: www.test:443\r\n\r\n");
    CHECK(r.head.authority == "www.test:443");
    CHECK(r.head.path == "/x");
    CHECK(read_request("GET http://u@a/ HTTP/1.1\r\nHost: b\r\n\r\n").status == 400);
    CHECK(read_request("GET ws://a/ HTTP/1.1\r\nHost: b\r\n\r\n").status == 400);
    CHECK(read_request("GET a:80 HTTP/1.1\r\nHost: b\r\n\r\n").status == 400);
    CHECK(read_request("OPTIONS * HTTP/1.1\r\nHost: b\r\n\r\n").head.path == "*");
  }

  TEST_CASE("Connection: options are tokens, never framing, routing or forwarding fields") {
    Read r = read_request("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close, X-A\r\n\r\n");
    CHECK(r.status == 0);
    CHECK(r.head.connection == std::vector<std::string>{"close", "x-a"});
    CHECK_FALSE(r.head.keep_alive);
    for (const char* option : {"Content-Length", "transfer-encoding", "HOST", "X-Forwarded-For", "x_forwarded_proto",
                               "X-ARR-SSL", "Forwarded", "X-Real-IP", "X-Original-URL", "a b", "@"}) {
      CAPTURE(option);
      CHECK(read_request(std::string("GET / HTTP/1.1\r\nHost: a\r\nConnection: ") + option + "\r\n\r\n").status == 400);
    }
  }

  TEST_CASE("keep-alive by version") {
    CHECK(read_request("GET / HTTP/1.1\r\nHost: a\r\n\r\n").head.keep_alive);
    CHECK_FALSE(read_request("GET / HTTP/1.0\r\nHost: a\r\n\r\n").head.keep_alive);
    CHECK(read_request("GET / HTTP/1.0\r\nHost: a\r\nConnection: Keep-Alive\r\n\r\n").head.keep_alive);
    CHECK(read_request("GET / HTTP/1.7\r\nHost: a\r\n\r\n").head.minor == 1);
  }

  TEST_CASE("a WebSocket handshake by RFC 6455's shape, and nothing else is an upgrade") {
    const std::string ws =
        "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: k\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n";
    CHECK(read_request("GET / HTTP/1.1\r\nHost: a\r\n" + ws).head.upgrade);
    CHECK_FALSE(read_request("POST / HTTP/1.1\r\nHost: a\r\n" + ws).head.upgrade);
    CHECK_FALSE(read_request("GET / HTTP/1.0\r\nHost: a\r\n" + ws).head.upgrade);
    CHECK_FALSE(read_request("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n" + ws).head.upgrade);
    CHECK_FALSE(read_request("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n").head.upgrade);
    CHECK_FALSE(read_request("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nSec-WebSocket-Key: k\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\n")
                    .head.upgrade);
    CHECK(read_request("CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n").status == 405);
  }

  TEST_CASE("forwarding fields in any spelling") {
    for (const char* name :
         {"X-Forwarded-For", "x-forwarded-host", "X_FORWARDED_PROTO", "X-ARR-SSL", "x_arr_clientcert", "Forwarded",
          "X-Real-IP", "X_Real_Ip", "X-Original-URL", "X-Rewrite-URL"}) {
      CAPTURE(name);
      CHECK(forwarding_field(name));
    }
    for (const char* name : {"X-Forwarded", "Forwarded-For", "X-Custom", "Host"}) {
      CAPTURE(name);
      CHECK_FALSE(forwarding_field(name));
    }
  }

  TEST_CASE("response framing by RFC 9112, 6.3") {
    auto framing_of = [](const std::string& text, bool head_request, bool upgrade_asked) {
      HttpParser parser(HttpParser::Kind::Response);
      if (head_request) parser.expect_no_body();
      if (upgrade_asked) parser.expect_upgrade();
      const auto step = parser.feed(text.data(), text.size());
      if (step.error_status != 0) return std::string("refused");
      const auto next = parser.feed(text.data() + text.size(), 0);
      return std::string(next.end ? "no body" : "body");
    };
    CHECK(framing_of("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", false, false) == "no body");
    CHECK(framing_of("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", false, false) == "no body");
    CHECK(framing_of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", true, false) == "no body");
    CHECK(framing_of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", false, false) == "body");
    CHECK(framing_of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, false) == "no body");
    CHECK(framing_of("HTTP/1.1 103 Early Hints\r\n\r\n", false, false) == "no body");
    CHECK(framing_of("HTTP/1.1 101 Switching Protocols\r\n\r\n", false, false) == "refused");
    CHECK(framing_of("HTTP/1.1 101 Switching Protocols\r\n\r\n", false, true) == "no body");
    CHECK(framing_of("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", false, false) == "refused");
    CHECK(framing_of("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\n", false, false) == "body");
    CHECK(framing_of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", false, false) ==
          "refused");
    CHECK(framing_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", false, false) == "refused");
    CHECK(framing_of("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false, false) == "refused");
    CHECK(framing_of("HTTP/1.1 099 Low\r\n\r\n", false, false) == "refused");
    CHECK(framing_of("HTTP/1.1 600 High\r\n\r\n", false, false) == "refused");
    CHECK(framing_of("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", false, false) == "no body");  // no reason, no space
  }

  TEST_CASE("an interim response leaves HEAD's and the upgrade's rules to the final one") {
    HttpParser parser(HttpParser::Kind::Response);
    parser.expect_no_body();
    const std::string text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n";
    auto step = parser.feed(text.data(), text.size());
    REQUIRE(step.head);
    std::size_t at = step.consumed;
    CHECK(parser.feed(text.data() + at, 0).end);
    step = parser.feed(text.data() + at, text.size() - at);
    REQUIRE(step.head);
    CHECK(parser.head().status == 200);
    CHECK(parser.feed(text.data() + text.size(), 0).end);  // HEAD: no body, though a length of 9
  }
}
