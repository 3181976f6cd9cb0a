#include <doctest/doctest.h>

#include <string>

#include "serve/http_parser.hpp"

using namespace sslbind::serve;

namespace {

// Feeds the whole text, a message at a time, and returns the steps taken until the input or the parser gives out.
struct Run {
  std::vector<HttpHead> heads;
  std::vector<std::string> bodies;  // the bytes after each head up to its end, as they came
  int error_status = 0;
  std::string error;
  std::size_t messages = 0;
};

Run parse(HttpParser::Kind kind, const std::string& text, std::size_t piece = 0) {
  HttpParser parser(kind);
  Run run;
  std::string body;
  std::size_t at = 0;
  bool in_body = false;
  while (true) {
    const std::size_t size = piece == 0 ? text.size() - at : std::min(piece, text.size() - at);
    const auto step = parser.feed(text.data() + at, size);
    if (step.error_status != 0) {
      run.error_status = step.error_status;
      run.error = step.error;
      return run;
    }
    if (in_body) body.append(text, at, step.consumed);
    at += step.consumed;
    if (step.head) {
      run.heads.push_back(parser.head());
      in_body = true;
    }
    if (step.end) {
      run.bodies.push_back(body);
      body.clear();
      in_body = false;
      ++run.messages;
    }
    if (at == text.size() && !step.head && !step.end) return run;
  }
}

Run request(const std::string& text, std::size_t piece = 0) { return parse(HttpParser::Kind::Request, text, piece); }

}  // namespace

TEST_SUITE("serve::http_parser") {
  TEST_CASE("requests: heads, bodies by length and chunked, pipelined, in pieces of any size") {
    const std::string text =
        "GET /a?x=1 HTTP/1.1\r\nHost: www.contoso.com\r\nX-Empty:\r\n\r\n"
        "POST /b HTTP/1.1\r\nHost: b\r\nContent-Length: 5\r\n\r\nhello"
        "PUT /c HTTP/1.1\r\nHost: c\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    for (std::size_t piece : {std::size_t{0}, std::size_t{1}, std::size_t{7}}) {
      CAPTURE(piece);
      const Run run = request(text, piece);
      CHECK(run.error.empty());
      REQUIRE(run.messages == 3);
      CHECK(run.heads[0].method == "GET");
      CHECK(run.heads[0].target == "/a?x=1");
      CHECK(*run.heads[0].find("HOST") == "www.contoso.com");
      CHECK(*run.heads[0].find("x-empty") == "");
      CHECK(run.heads[0].keep_alive);
      CHECK(run.bodies[0].empty());
      CHECK(run.heads[1].content_length == 5U);
      CHECK(run.bodies[1] == "hello");
      CHECK(run.heads[2].chunked);
      CHECK(run.bodies[2] == "3\r\nabc\r\n0\r\n\r\n");  // the framing as it came, to forward as it is
    }
    CHECK_FALSE(request("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").heads[0].keep_alive);
    CHECK_FALSE(request("GET / HTTP/1.0\r\nHost: a\r\n\r\n").heads.at(0).keep_alive);
  }

  TEST_CASE("smuggling and malformed forms are refused with 400") {
    const std::vector<std::pair<std::string, std::string>> refused{
        {"CL and TE", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
        {"TE and CL", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n"},
        {"two CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcd"},
        {"two equal CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nabcd"},
        {"CL list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4, 4\r\n\r\nabcd"},
        {"CL sign", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +4\r\n\r\nabcd"},
        {"CL hex", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x4\r\n\r\nabcd"},
        {"TE not chunked last", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"},
        {"TE unknown", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n"},
        {"space before colon", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"},
        {"obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n  folded\r\n\r\n"},
        {"bare LF line", "GET / HTTP/1.1\nHost: a\n\n"},
        {"NUL in value", std::string("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\0 2\r\n\r\n", 38)},
        {"CR in value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r2\r\n\r\n"},
        {"bad name byte", "GET / HTTP/1.1\r\nHost: a\r\nX(A): 1\r\n\r\n"},
        {"no Host", "GET / HTTP/1.1\r\n\r\n"},
        {"two Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"},
        {"bad chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"},
        {"chunk size overflow",
         "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n"},
        {"chunk without CRLF", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n"},
        {"lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n"},
        {"two-digit minor", "GET / HTTP/1.10\r\nHost: a\r\n\r\n"},
        {"bad method", "G@T / HTTP/1.1\r\nHost: a\r\n\r\n"},
        {"space in target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n"},
        {"garbage", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"},
    };
    for (const auto& form : refused) {
      const std::string& name = form.first;
      CAPTURE(name);
      const Run run = request(form.second);
      CHECK(run.error_status == 400);
      CHECK(run.messages == 0);
    }
  }

  TEST_CASE("limits: a long target, a long head, too many fields") {
    CHECK(request("GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n").error_status == 414);
    CHECK(request("GET /" + std::string(20000, 'a'), 1000).error_status == 414);  // before the line ends
    CHECK(request("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(40000, 'a') + "\r\n\r\n").error_status == 431);
    std::string many = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 101; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
    const Run run = request(many + "\r\n");
    CHECK(run.error_status == 431);
    CHECK(run.error == "the head has more than 100 header fields");
  }

  TEST_CASE("responses: length, chunked, until close, HEAD, 1xx, upgrade") {
    Run run = parse(HttpParser::Kind::Response,
                    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n");
    REQUIRE(run.messages == 2);
    CHECK(run.heads[0].status == 200);
    CHECK(run.heads[0].reason == "OK");
    CHECK(run.bodies[1] == "2\r\nhi\r\n0\r\n\r\n");
    run = parse(HttpParser::Kind::Response, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
    REQUIRE(run.messages == 2);
    CHECK(run.heads[0].status == 100);
    CHECK(run.heads[1].status == 204);
    run = parse(HttpParser::Kind::Response, "HTTP/1.1 200 OK\r\n\r\nall of it");  // delimited by close
    CHECK(run.messages == 0);
    REQUIRE(run.heads.size() == 1);
    CHECK_FALSE(run.heads[0].keep_alive);

    HttpParser head(HttpParser::Kind::Response);
    head.expect_no_body();
    const std::string text = "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n";
    const auto step = head.feed(text.data(), text.size());
    CHECK(step.head);
    CHECK(step.consumed == text.size());
    CHECK(head.feed(text.data() + text.size(), 0).end);  // at once, with no byte of the 99

    // A 101 ends at its head; only the answer to a WebSocket handshake may be one.
    const std::string switching = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x02hi";
    HttpParser upgrade(HttpParser::Kind::Response);
    upgrade.expect_upgrade();
    auto first = upgrade.feed(switching.data(), switching.size());
    CHECK(first.head);
    CHECK(upgrade.head().upgrade);
    CHECK(upgrade.feed(switching.data() + first.consumed, switching.size() - first.consumed).end);
    CHECK(parse(HttpParser::Kind::Response, switching).error_status == 502);
  }
}
