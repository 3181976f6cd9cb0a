#include "serve/http2_response.hpp"

#include <doctest/doctest.h>

using namespace sslbind::serve;

TEST_SUITE("serve::http2_response") {
  TEST_CASE("connection-specific fields and the fields Connection names go, and names turn lower case") {
    const std::vector<HttpHeader> in{{"Content-Type", "text/html"},
                                     {"Connection", "close, X-Hop"},
                                     {"Keep-Alive", "timeout=5"},
                                     {"Transfer-Encoding", "chunked"},
                                     {"X-Hop", "1"},
                                     {"Upgrade", "h2c"},
                                     {"Proxy-Connection", "x"},
                                     {"TE", "trailers"},
                                     {"Set-Cookie", "a=1"},
                                     {"Set-Cookie", "b=2"}};
    const auto out = http2_fields(in);
    REQUIRE(out.size() == 3);
    CHECK(out[0].name == "content-type");
    CHECK(out[1].name == "set-cookie");
    CHECK(out[1].value == "a=1");
    CHECK(out[2].value == "b=2");
  }

  TEST_CASE("trailers lose the fields a trailer may not carry") {
    const auto out = http2_fields({{"Grpc-Status", "0"}, {"Content-Length", "5"}, {"Host", "a"}}, true);
    REQUIRE(out.size() == 1);
    CHECK(out[0].name == "grpc-status");
  }

  TEST_CASE("chunked framing is taken off, however the bytes are cut, and trailers are kept") {
    const std::string wire = "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nGrpc-Status: 0\r\nX-T:  a b \r\n\r\n";
    for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{7}, wire.size()}) {
      CAPTURE(piece);
      ChunkedDecoder d;
      std::string out;
      for (std::size_t at = 0; at < wire.size(); at += piece) d.feed(std::string_view(wire).substr(at, piece), out);
      CHECK(out == "hello world");
      CHECK(d.ended());
      REQUIRE(d.trailers().size() == 2);
      CHECK(d.trailers()[0].name == "Grpc-Status");
      CHECK(d.trailers()[1].value == "a b");
    }
  }

  TEST_CASE("the decoder takes any bytes without fault, and stops at the end") {
    ChunkedDecoder d;
    std::string out;
    d.feed("ffffffffffffffffffffffff\r\nab", out);  // a size past 2^64: capped, not overflowed
    CHECK(out == "ab");
    ChunkedDecoder empty;
    empty.feed("0\r\n\r\nafter", out);
    CHECK(empty.ended());
    CHECK(out == "ab");  // nothing past the end
    ChunkedDecoder lf;
    std::string bare;
    lf.feed("3\nabc\n0\n\n", bare);
    CHECK(bare == "abc");
    CHECK(lf.ended());
  }
}
