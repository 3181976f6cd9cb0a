#include "serve/http2_request.hpp"

#include <doctest/doctest.h>

using namespace sslbind::serve;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields get(const std::string& path = "/", Fields extra = {}) {
  Fields f{{":method", "GET"}, {":scheme", "https"}, {":authority", "www.contoso.com"}, {":path", path}};
  f.insert(f.end(), extra.begin(), extra.end());
  return f;
}

Http2Request::Result build(const Fields& fields, bool body = false, std::string_view key = {}) {
  Http2Request request;
  for (const auto& [name, value] : fields) {
    if (!request.add(name, value)) break;
  }
  return request.finish(body, key);
}

}  // namespace

TEST_SUITE("serve::http2_request") {
  TEST_CASE("a request becomes the HTTP/1.1 head an HTTP/1.1 client would have sent") {
    const auto r = build(get("/cart?id=1", {{"accept", "*/*"}, {"cookie", "a=1"}, {"cookie", "b=2"}}));
    REQUIRE(r.head);
    CHECK(r.head->method == "GET");
    CHECK(r.head->target == "/cart?id=1");
    CHECK(r.head->authority == "www.contoso.com");
    CHECK(*r.head->find("host") == "www.contoso.com");
    CHECK(*r.head->find("cookie") == "a=1; b=2");  // RFC 9113, 8.2.3
    CHECK(r.head->count("cookie") == 1);
    CHECK(r.head->keep_alive);
    CHECK_FALSE(r.head->chunked);
    CHECK_FALSE(r.websocket);
  }

  TEST_CASE("a body without content-length goes chunked, with one it keeps its length") {
    const auto chunked = build(get("/up"), true);
    REQUIRE(chunked.head);
    CHECK(chunked.head->chunked);
    const auto sized = build(get("/up", {{"content-length", "5"}}), true);
    REQUIRE(sized.head);
    CHECK_FALSE(sized.head->chunked);
    CHECK(sized.head->content_length == 5u);
  }

  TEST_CASE("Host stands in for :authority, and must agree with it when both come") {
    auto r = build({{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {"host", "a.test"}});
    REQUIRE(r.head);
    CHECK(r.head->authority == "a.test");
    CHECK(build(get("/", {{"host", "WWW.Contoso.com"}})).head);  // a host name's case does not matter
    r = build(get("/", {{"host", "other.test"}}));
    CHECK_FALSE(r.head);
    CHECK(r.status == 400);
    r = build({{":method", "GET"}, {":scheme", "https"}, {":path", "/"}});
    CHECK(r.status == 400);
  }

  TEST_CASE("the malformed forms of RFC 9113 8.2 and 8.3 are refused") {
    const std::vector<std::pair<const char*, Fields>> forms{
        {"upper case", get("/", {{"X-A", "1"}})},
        {"connection", get("/", {{"connection", "close"}})},
        {"keep-alive", get("/", {{"keep-alive", "1"}})},
        {"proxy-connection", get("/", {{"proxy-connection", "1"}})},
        {"transfer-encoding", get("/", {{"transfer-encoding", "chunked"}})},
        {"upgrade", get("/", {{"upgrade", "h2c"}})},
        {"te", get("/", {{"te", "gzip"}})},
        {"pseudo after regular", {{":method", "GET"}, {"a", "1"}, {":scheme", "https"}, {":path", "/"}}},
        {"repeated pseudo", {{":method", "GET"}, {":method", "GET"}, {":scheme", "https"}, {":path", "/"}}},
        {"unknown pseudo", get("/", {}) /* below */},
        {"no :method", {{":scheme", "https"}, {":authority", "a"}, {":path", "/"}}},
        {"no :path", {{":method", "GET"}, {":scheme", "https"}, {":authority", "a"}}},
        {"empty :path", get("")},
        {"http scheme", {{":method", "GET"}, {":scheme", "http"}, {":authority", "a"}, {":path", "/"}}},
        {":protocol without CONNECT", get("/", {}) /* below */},
        {"a CR in a value", get("/", {{"x-a", "1\r\nx-b: 2"}})},
        {"a NUL in a value", get("/", {{"x-a", std::string("1\0"
                                                           "2",
                                                           3)}})},
        {"a space in a name", get("/", {{"x a", "1"}})},
        {"an empty name", get("/", {{"", "1"}})},
        {"a target with a space", get("/a b")},
        {"an absolute-form :path", get("https://other.test/")},  // the authority is :authority's alone
        {"a forged length", get("/", {{"content-length", "1x"}})},
        {"whitespace around a value", get("/", {{"x-a", " 1"}})},
        // Each would forge a line of the HTTP/1.1 head if it were written as it came.
        {"a CRLF in :path", get("/x HTTP/1.1\r\nx-b: 1")},
        {"a CRLF in :authority",
         {{":method", "GET"}, {":scheme", "https"}, {":authority", "a\r\nx-b: 1"}, {":path", "/"}}},
        {"a space in :method", {{":method", "GET /x"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/"}}},
        {"a space in :authority", {{":method", "GET"}, {":scheme", "https"}, {":authority", "a b"}, {":path", "/"}}},
    };
    for (auto [form, fields] : forms) {
      const std::string name = form;
      CAPTURE(name);
      if (name == "unknown pseudo") fields.insert(fields.begin() + 1, {":foo", "1"});
      if (name == ":protocol without CONNECT") fields.insert(fields.begin() + 1, {":protocol", "websocket"});
      const auto r = build(fields);
      CHECK_FALSE(r.head);
      CHECK(r.status == 400);
      CHECK_FALSE(r.why.empty());
    }
    CHECK(build({{":method", "CONNECT"}, {":authority", "a:443"}}).status == 405);  // tunnels are not offered
  }

  TEST_CASE("past the header budget the request is refused at once with 431, and nothing more is kept") {
    Http2Request request(HttpLimits{8 * 1024, 1024, 100});
    for (const auto& [name, value] : get("/")) CHECK(request.add(name, value));
    CHECK_FALSE(request.add("x-big", std::string(1000, 'a')));
    CHECK(request.status() == 431);
    CHECK_FALSE(request.add("x-small", "1"));  // refused from then on
    CHECK(request.finish(false).status == 431);
    Http2Request many(HttpLimits{8 * 1024, 64 * 1024, 10});
    for (const auto& [name, value] : get("/")) many.add(name, value);
    for (int i = 0; i < 10; ++i) CHECK(many.add("x-" + std::to_string(i), "1"));  // pseudo-headers aside
    CHECK_FALSE(many.add("x-last", "1"));
    CHECK(many.status() == 431);
    CHECK(build(get("/" + std::string(9000, 'a'))).status == 414);
  }

  TEST_CASE("an extended CONNECT for websocket becomes an RFC 6455 handshake with a key") {
    const Fields ws{{":method", "CONNECT"},      {":protocol", "websocket"}, {":scheme", "https"},
                    {":authority", "chat.test"}, {":path", "/ws"},           {"sec-websocket-version", "13"}};
    const auto r = build(ws, false, "dGhlIHNhbXBsZSBub25jZQ==");
    REQUIRE(r.head);
    CHECK(r.websocket);
    CHECK(r.head->method == "GET");
    CHECK(r.head->upgrade);
    CHECK(*r.head->find("sec-websocket-key") == "dGhlIHNhbXBsZSBub25jZQ==");
    Fields other = ws;
    other[1].second = "connect-udp";
    CHECK(build(other, false, "k").status == 400);
    CHECK(build(ws, false, "").status == 400);
  }

  TEST_CASE("trailer fields are kept when they are valid and about neither framing nor routing") {
    Http2Request request;
    for (const auto& [name, value] : get("/")) request.add(name, value);
    request.add_trailer("x-checksum", "abc");
    request.add_trailer("grpc-status", "0");
    for (const char* name : {"content-length", "transfer-encoding", "host", "connection", "te", "x-forwarded-for",
                             "X-Upper", "bad name", ":path"}) {
      request.add_trailer(name, "1");
    }
    request.add_trailer("x-value", "a\r\nx-forged: 1");
    request.add_trailer("x-pad", " 1");
    CHECK(request.trailer_text() == "x-checksum: abc\r\ngrpc-status: 0\r\n");
    Http2Request small(HttpLimits{8 * 1024, 200, 100});
    small.add_trailer("x-big", std::string(300, 'a'));  // past the head's budget
    CHECK(small.trailer_text().empty());
  }
}
