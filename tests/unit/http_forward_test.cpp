#include <doctest/doctest.h>

#include "serve/client_certificate.hpp"
#include "serve/http_forward.hpp"

using namespace sslbind;
using namespace sslbind::serve;

namespace {

HttpHead head_of(HttpParser::Kind kind, const std::string& text) {
  HttpParser parser(kind);
  if (kind == HttpParser::Kind::Response) parser.expect_upgrade();  // a 101 is then accepted; others are as ever
  const auto step = parser.feed(text.data(), text.size());
  REQUIRE(step.head);
  return parser.head();
}

}  // namespace

TEST_SUITE("serve::http_forward") {
  TEST_CASE("the request to the web worker: hop-by-hop and forged fields out, ARR's fields in, Host kept") {
    const HttpHead request = head_of(HttpParser::Kind::Request,
                                     "POST /cart?id=1 HTTP/1.1\r\n"
                                     "Host: Shop.Contoso.com\r\n"
                                     "Connection: keep-alive, X-Secret\r\n"
                                     "X-Secret: drop me\r\n"
                                     "Keep-Alive: timeout=5\r\n"
                                     "TE: trailers\r\n"
                                     "X-Forwarded-For: 6.6.6.6\r\n"
                                     "x-forwarded-proto: http\r\n"
                                     "X-ARR-SSL: forged\r\n"
                                     "X-Arr-Log-Id: forged\r\n"
                                     "X-Original-URL: /admin\r\n"
                                     "Content-Length: 3\r\n"
                                     "Cookie: a=b\r\n\r\n");
    const ForwardFields fields{"2001:db8::7", "256|128|CN=Issuer|CN=shop.contoso.com"};
    CHECK(backend_request_head(request, fields) ==
          "POST /cart?id=1 HTTP/1.1\r\n"
          "Host: Shop.Contoso.com\r\n"
          "Content-Length: 3\r\n"
          "Cookie: a=b\r\n"
          "X-Forwarded-For: 2001:db8::7\r\n"
          "X-Forwarded-Proto: https\r\n"
          "X-ARR-SSL: 256|128|CN=Issuer|CN=shop.contoso.com\r\n"
          "\r\n");
    // A farm with arrssl=disable sends none.
    CHECK(backend_request_head(request, {"10.0.0.1", ""}).find("X-ARR-SSL") == std::string::npos);
  }

  TEST_CASE("a trusted client certificate goes to the web worker in ARR's and RFC 9440's fields, forged ones never") {
    const HttpHead request = head_of(HttpParser::Kind::Request,
                                     "GET / HTTP/1.1\r\nHost: api.test\r\nX-ARR-ClientCert: forged\r\n"
                                     "client-cert: :Zm9yZ2Vk:\r\nClient_Cert_Chain: :Zm9yZ2Vk:\r\n\r\n");
    ClientCertificate certificate;
    certificate.verdict = ClientCertificate::Verdict::Trusted;
    certificate.der_base64 = "MIIBAA==";
    const std::string alone = backend_request_head(request, {"10.0.0.1", "", &certificate});
    CHECK(alone ==
          "GET / HTTP/1.1\r\nHost: api.test\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https\r\n"
          "X-ARR-ClientCert: MIIBAA==\r\nClient-Cert: :MIIBAA==:\r\n\r\n");
    certificate.chain_base64 = {"MIICAA==", "MIIDAA=="};
    const std::string chained = backend_request_head(request, {"10.0.0.1", "", &certificate});
    CHECK(chained.find("\r\nClient-Cert-Chain: :MIICAA==:, :MIIDAA==:\r\n") != std::string::npos);
    const std::string none = backend_request_head(request, {"10.0.0.1", ""});
    CHECK(none.find("forged") == std::string::npos);
    CHECK(none.find("Zm9yZ2Vk") == std::string::npos);
    CHECK(none.find("Client-Cert") == std::string::npos);
  }

  TEST_CASE("a WebSocket handshake keeps its Upgrade, and chunked framing stays") {
    const HttpHead request =
        head_of(HttpParser::Kind::Request,
                "GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    const std::string out = backend_request_head(request, {"127.0.0.1", ""});
    CHECK(out.find("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n") != std::string::npos);
    CHECK(out.find("Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\n") != std::string::npos);
    const HttpHead chunked =
        head_of(HttpParser::Kind::Request, "PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
    CHECK(backend_request_head(chunked, {"127.0.0.1", ""}).find("Transfer-Encoding: chunked\r\n") != std::string::npos);
  }

  TEST_CASE("the response to the client: hop-by-hop fields out, close said when the connection closes") {
    const HttpHead response = head_of(HttpParser::Kind::Response,
                                      "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n"
                                      "Content-Length: 2\r\nSet-Cookie: s=1\r\n\r\n");
    CHECK(client_response_head(response, true) == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nSet-Cookie: s=1\r\n\r\n");
    CHECK(client_response_head(response, false) ==
          "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nSet-Cookie: s=1\r\nConnection: close\r\n\r\n");
    const HttpHead switching = head_of(HttpParser::Kind::Response,
                                       "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                                       "Upgrade\r\nSec-WebSocket-Accept: abc\r\n\r\n");
    CHECK(client_response_head(switching, true) ==
          "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: abc\r\nUpgrade: websocket\r\nConnection: "
          "Upgrade\r\n\r\n");
    CHECK(idempotent("GET"));
    CHECK_FALSE(idempotent("POST"));
  }
}
