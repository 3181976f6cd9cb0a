// The proxy's HTTP/1.1 rules, table by table (docs/proxy.md): each raw request goes over TLS through serve to a web
// worker that records every byte it gets, and each case says what must happen: the status serve answers and that
// nothing reached the worker, or the exact bytes the worker received. Then the worker's answers, each with what the
// client must receive. Every form named in the proxy-safety issue has a case, and so does every form refused before.
#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "tests/e2e/front_end.hpp"
#include "tests/support/process_usage.hpp"
#include "tests/support/recording_worker.hpp"
#include "tests/support/tls_client.hpp"

using namespace sslbind::test;

namespace {

// serve with one SNI binding, proxy.test:<port>, and every host routed to one farm of one recording worker.
// arrssl=disable: the forwarded bytes are then the same on every run.
struct RulesProxy {
  FrontEnd fe;
  RecordingWorker worker;
  std::uint16_t port = free_port();
  std::optional<ServeProcess> server;

  explicit RulesProxy(std::vector<std::string> args = {}) {
    fe.bind("hostnameport=proxy.test:" + std::to_string(port), fe.import("proxy.test"));
    REQUIRE(fe.sslbind({"add", "webfarm", "name=www", "server=" + worker.address(), "arrssl=disable"}).exit_code == 0);
    REQUIRE(fe.sslbind({"add", "route", "host=*", "webfarm=www"}).exit_code == 0);
    server.emplace(SSLBIND_BINARY, fe.sslbind.root.path(), port, FrontEnd::serve_arguments(std::move(args)));
    REQUIRE(server->ok());
  }
  // Sends the bytes on a connection of their own and reads until serve closes it (10 s at most).
  std::string send(const std::string& bytes) {
    return tls_connect("127.0.0.1", port, {"proxy.test", nullptr, 0, bytes}).answer;
  }
};

std::string status_line(const std::string& answer) { return answer.substr(0, answer.find("\r\n")); }

const std::string H = "Host: proxy.test\r\n";
const std::string C = "Connection: close\r\n";
// What the worker receives after the fields a request keeps: serve's own forwarding fields.
const std::string F = "X-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n\r\n";
const std::string kSmuggled = "GET /smuggled HTTP/1.1\r\nHost: proxy.test\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n";

struct Accepted {
  const char* name;
  std::string request;
  std::string forwarded;  // exactly what the web worker must receive
};

struct Refused {
  const char* name;
  std::string request;
  int status;  // what serve answers; nothing reaches the web worker
};

std::vector<Accepted> accepted_forms() {
  return {
      {"a plain GET", "GET /a HTTP/1.1\r\n" + H + C + "\r\n", "GET /a HTTP/1.1\r\n" + H + F},
      {"a body by Content-Length", "POST /a HTTP/1.1\r\n" + H + "Content-Length: 5\r\n" + C + "\r\nhello",
       "POST /a HTTP/1.1\r\n" + H + "Content-Length: 5\r\n" + F + "hello"},
      {"Content-Length: 0", "POST /a HTTP/1.1\r\n" + H + "Content-Length: 0\r\n" + C + "\r\n",
       "POST /a HTTP/1.1\r\n" + H + "Content-Length: 0\r\n" + F},
      {"Content-Length with leading zeros", "POST /a HTTP/1.1\r\n" + H + "Content-Length: 005\r\n" + C + "\r\nhello",
       "POST /a HTTP/1.1\r\n" + H + "Content-Length: 5\r\n" + F + "hello"},
      {"a chunked body as it came, extension and upper-case size",
       "POST /a HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n" + C +
           "\r\n3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n",
       "POST /a HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n" + F +
           "3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n"},
      {"a chunked body with a trailer field",
       "POST /a HTTP/1.1\r\n" + H + "Transfer-Encoding: Chunked\r\n" + C + "\r\n1\r\nx\r\n0\r\nX-Sum: 1\r\n\r\n",
       "POST /a HTTP/1.1\r\n" + H + "Transfer-Encoding: Chunked\r\n" + F + "1\r\nx\r\n0\r\nX-Sum: 1\r\n\r\n"},
      {"a method llhttp did not know is a token and goes on", "BREW /pot HTTP/1.1\r\n" + H + C + "\r\n",
       "BREW /pot HTTP/1.1\r\n" + H + F},
      {"PURGE", "PURGE /a HTTP/1.1\r\n" + H + C + "\r\n", "PURGE /a HTTP/1.1\r\n" + H + F},
      {"HTTP/1.2 is read as 1.1", "GET /a HTTP/1.2\r\n" + H + C + "\r\n", "GET /a HTTP/1.1\r\n" + H + F},
      {"HTTP/1.0 with Host", "GET /a HTTP/1.0\r\n" + H + "\r\n", "GET /a HTTP/1.1\r\n" + H + F},
      {"absolute-form: the target's authority is the Host, sent in origin form",
       "GET https://other.test/p?q=1 HTTP/1.1\r\n" + H + C + "\r\n", "GET /p?q=1 HTTP/1.1\r\nHost: other.test\r\n" + F},
      {"absolute-form without a path", "GET http://other.test HTTP/1.1\r\n" + H + C + "\r\n",
       "GET / HTTP/1.1\r\nHost: other.test\r\n" + F},
      {"absolute-form with a query only", "GET http://other.test?x=1 HTTP/1.1\r\n" + C + "\r\n",
       "GET /?x=1 HTTP/1.1\r\nHost: other.test\r\n" + F},
      {"absolute-form with a port and no Host", "GET HTTPS://other.test:8443/a HTTP/1.1\r\n" + C + "\r\n",
       "GET /a HTTP/1.1\r\nHost: other.test:8443\r\n" + F},
      {"OPTIONS *", "OPTIONS * HTTP/1.1\r\n" + H + C + "\r\n", "OPTIONS * HTTP/1.1\r\n" + H + F},
      {"an empty line before the request-line", "\r\nGET /a HTTP/1.1\r\n" + H + C + "\r\n",
       "GET /a HTTP/1.1\r\n" + H + F},
      {"Connection names a hop-by-hop field, which goes",
       "GET /a HTTP/1.1\r\n" + H + "Connection: close, X-Custom\r\nX-Custom: 1\r\nX-Kept: 2\r\n\r\n",
       "GET /a HTTP/1.1\r\n" + H + "X-Kept: 2\r\n" + F},
      {"hop-by-hop fields go",
       "GET /a HTTP/1.1\r\n" + H + "Keep-Alive: 5\r\nTE: trailers\r\nTrailer: X\r\n" +
           "Proxy-Connection: keep-alive\r\n" + C + "\r\n",
       "GET /a HTTP/1.1\r\n" + H + F},
      {"Upgrade: h2c is removed, the request goes on as plain HTTP/1.1",
       "GET /a HTTP/1.1\r\n" + H + "Connection: Upgrade, HTTP2-Settings, close\r\nUpgrade: h2c\r\n" +
           "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n",
       "GET /a HTTP/1.1\r\n" + H + F},
      {"Upgrade: websocket without a key is no WebSocket handshake",
       "GET /a HTTP/1.1\r\n" + H + "Connection: Upgrade, close\r\nUpgrade: websocket\r\n\r\n",
       "GET /a HTTP/1.1\r\n" + H + F},
      {"a WebSocket handshake answered 200, then a second request: both served (the lock-up)",
       "GET /ws HTTP/1.1\r\n" + H +
           "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: a2V5a2V5a2V5a2V5a2V5aw==\r\n" +
           "Sec-WebSocket-Version: 13\r\n\r\nGET /b HTTP/1.1\r\n" + H + C + "\r\n",
       "GET /ws HTTP/1.1\r\n" + H + "Sec-WebSocket-Key: a2V5a2V5a2V5a2V5a2V5aw==\r\nSec-WebSocket-Version: 13\r\n" +
           "Upgrade: websocket\r\nConnection: Upgrade\r\n" + F + "GET /b HTTP/1.1\r\n" + H + F},
      {"an Upgrade list keeps websocket alone",
       "GET /ws HTTP/1.1\r\n" + H +
           "Connection: upgrade, close\r\nUpgrade: h2c, WebSocket\r\nSec-WebSocket-Key: k\r\n" +
           "Sec-WebSocket-Version: 13\r\n\r\n",
       "GET /ws HTTP/1.1\r\n" + H + "Sec-WebSocket-Key: k\r\nSec-WebSocket-Version: 13\r\nUpgrade: websocket\r\n" +
           "Connection: Upgrade\r\n" + F},
      {"forged forwarding fields go, in any case",
       "GET /a HTTP/1.1\r\n" + H + "X-Forwarded-For: 6.6.6.6\r\nx-forwarded-proto: http\r\nX-Forwarded-Host: evil\r\n" +
           "X-Forwarded-Port: 1\r\nForwarded: for=6.6.6.6\r\nX-Real-IP: 6.6.6.6\r\nX-Original-URL: /admin\r\n" +
           "X-Rewrite-URL: /admin\r\nX-ARR-SSL: forged\r\nX-ARR-ClientCert: forged\r\nx-arr-log-id: 1\r\n" +
           "Client-Cert: :Zm9yZ2Vk:\r\nclient-cert-chain: :Zm9yZ2Vk:\r\nClient_Cert: :Zm9yZ2Vk:\r\n" + C + "\r\n",
       "GET /a HTTP/1.1\r\n" + H + F},
      {"underscore spellings of forwarding and framing fields go",
       "GET /a HTTP/1.1\r\n" + H + "X_Forwarded_For: 6.6.6.6\r\nX_ARR_SSL: forged\r\nx_real_ip: 6.6.6.6\r\n" +
           "Content_Length: 44\r\nTransfer_Encoding: chunked\r\nX_Custom_Name: kept\r\n" + C + "\r\n",
       "GET /a HTTP/1.1\r\n" + H + "X_Custom_Name: kept\r\n" + F},
      {"obs-text in a value goes on", "GET /a HTTP/1.1\r\n" + H + "X-Name: caf\xc3\xa9\r\n" + C + "\r\n",
       "GET /a HTTP/1.1\r\n" + H + "X-Name: caf\xc3\xa9\r\n" + F},
      {"whitespace around a value is trimmed, an empty value kept",
       "GET /a HTTP/1.1\r\n" + H + "X-A:  \t b c \t\r\nX-Empty:\r\n" + C + "\r\n",
       "GET /a HTTP/1.1\r\n" + H + "X-A: b c\r\nX-Empty: \r\n" + F},
      {"a query with the bytes browsers leave unencoded", "GET /a?x={1}|^`%zz HTTP/1.1\r\n" + H + C + "\r\n",
       "GET /a?x={1}|^`%zz HTTP/1.1\r\n" + H + F},
      {"a Host with a port", "GET /a HTTP/1.1\r\nHost: proxy.test:443\r\n" + C + "\r\n",
       "GET /a HTTP/1.1\r\nHost: proxy.test:443\r\n" + F},
      {"a Host that is an IPv6 literal", "GET /a HTTP/1.1\r\nHost: [::1]:8443\r\n" + C + "\r\n",
       "GET /a HTTP/1.1\r\nHost: [::1]:8443\r\n" + F},
      {"a Host with a trailing dot", "GET /a HTTP/1.1\r\nHost: proxy.test.\r\n" + C + "\r\n",
       "GET /a HTTP/1.1\r\nHost: proxy.test.\r\n" + F},
      {"a Host with an empty port", "GET /a HTTP/1.1\r\nHost: proxy.test:\r\n" + C + "\r\n",
       "GET /a HTTP/1.1\r\nHost: proxy.test:\r\n" + F},
      {"pipelined requests go one after the other",
       "GET /1 HTTP/1.1\r\n" + H + "\r\nPOST /2 HTTP/1.1\r\n" + H + "Content-Length: 1\r\n" + C + "\r\nx",
       "GET /1 HTTP/1.1\r\n" + H + F + "POST /2 HTTP/1.1\r\n" + H + "Content-Length: 1\r\n" + F + "x"},
      {"Expect: 100-continue goes on",
       "PUT /a HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 2\r\n" + C + "\r\nok",
       "PUT /a HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 2\r\n" + F + "ok"},
      {"HTTP/1.0 keep-alive, then a request that closes",
       "GET /1 HTTP/1.0\r\n" + H + "Connection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n" + H + "\r\n",
       "GET /1 HTTP/1.1\r\n" + H + F + "GET /2 HTTP/1.1\r\n" + H + F},
      {"a token method with every tchar", "A!#$%&'*+-.^_`|~1 /a HTTP/1.1\r\n" + H + C + "\r\n",
       "A!#$%&'*+-.^_`|~1 /a HTTP/1.1\r\n" + H + F},
  };
}

std::vector<Refused> refused_forms() {
  const std::string post = "POST /a HTTP/1.1\r\n" + H;
  const std::string get = "GET /a HTTP/1.1\r\n" + H;
  const std::string te = post + "Transfer-Encoding: chunked\r\n\r\n";
  return {
      // Framing (CL.TE, TE.CL and their obfuscations).
      {"Content-Length then Transfer-Encoding",
       post + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + kSmuggled, 400},
      {"Transfer-Encoding then Content-Length",
       post + "Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\n" + kSmuggled, 400},
      {"two Content-Lengths", post + "Content-Length: 0\r\nContent-Length: 70\r\n\r\n" + kSmuggled, 400},
      {"two equal Content-Lengths", post + "Content-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400},
      {"a Content-Length list", post + "Content-Length: 70, 0\r\n\r\n" + kSmuggled, 400},
      {"a signed Content-Length", post + "Content-Length: +70\r\n\r\n" + kSmuggled, 400},
      {"a negative Content-Length", post + "Content-Length: -1\r\n\r\n", 400},
      {"a hex Content-Length", post + "Content-Length: 0x46\r\n\r\n" + kSmuggled, 400},
      {"an empty Content-Length", post + "Content-Length:\r\n\r\n", 400},
      {"a Content-Length of two numbers", post + "Content-Length: 1 2\r\n\r\n", 400},
      {"a Content-Length past 2^62", post + "Content-Length: 99999999999999999999\r\n\r\n", 400},
      {"Transfer-Encoding: chunked, identity",
       post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + kSmuggled, 400},
      {"Transfer-Encoding: identity", post + "Transfer-Encoding: identity\r\n\r\n", 400},
      {"Transfer-Encoding: xchunked", post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + kSmuggled, 400},
      {"Transfer-Encoding: \"chunked\"", post + "Transfer-Encoding: \"chunked\"\r\n\r\n0\r\n\r\n", 400},
      {"Transfer-Encoding: chunked, chunked", post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400},
      {"two Transfer-Encoding fields, the last not chunked",
       post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n0\r\n\r\n", 400},
      {"Transfer-Encoding: gzip, chunked (a coding serve does not know)",
       post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501},
      {"Transfer-Encoding in HTTP/1.0", "POST /a HTTP/1.0\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       400},
      {"a space before the colon of Transfer-Encoding",
       post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n" + kSmuggled, 400},
      {"Transfer-Encoding folded", post + "Transfer-Encoding:\tchunked\r\n X: y\r\n\r\n0\r\n\r\n" + kSmuggled, 400},
      {"a space inside a field name (Transfer- Encoding)", post + "Transfer- Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
      {"a chunk size that is not hex", te + "1g\r\nx\r\n0\r\n\r\n" + kSmuggled, 400},
      {"chunk data longer than its size", te + "2\r\nxxx\r\n0\r\n\r\n" + kSmuggled, 400},
      {"chunk data not followed by CRLF", te + "3\r\nabcXX0\r\n\r\n", 400},
      {"chunk data followed by a bare LF", te + "3\r\nabc\n0\r\n\r\n", 400},
      {"a chunk size with 0x", te + "0x3\r\nabc\r\n0\r\n\r\n", 400},
      {"a chunk size with a leading space", te + " 3\r\nabc\r\n0\r\n\r\n", 400},
      {"a chunk size followed by a space only", te + "3 \r\nabc\r\n0\r\n\r\n", 400},
      {"a chunk size of 17 digits", te + "FFFFFFFFFFFFFFFFF\r\n", 400},
      {"a chunk size line ending in a bare LF", te + "3\nabc\r\n0\r\n\r\n", 400},
      {"a control byte in a chunk extension", te + "3;a=\x01\r\nabc\r\n0\r\n\r\n", 400},
      {"a Content-Length trailer field", te + "0\r\nContent-Length: 70\r\n\r\n" + kSmuggled, 400},
      {"a Host trailer field", te + "0\r\nHost: other.test\r\n\r\n", 400},
      {"an X-Forwarded-For trailer field", te + "0\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n", 400},
      {"a malformed trailer field", te + "0\r\nno colon\r\n\r\n", 400},
      // The head's lines and bytes.
      {"a bare LF ending a field line", get + "X: a\nContent-Length: 70\r\n\r\n" + kSmuggled, 400},
      {"a bare LF ending the request-line", "GET /a HTTP/1.1\n" + H + "\r\n", 400},
      {"a bare CR ends no field line (CVE-2023-30589)", post + "Foo:\rAContent-Length: 5\r\n\r\nhello", 400},
      {"a CR inside a value", get + "X-Bad: a\rb\r\n\r\n", 400},
      {"a NUL in a value", get + std::string("X-Nul: a\0b\r\n\r\n", 13), 400},
      {"a control byte in a value", get + "X-Bad: a\x01" + "b\r\n\r\n", 400},
      {"a DEL in a value", get + "X-Bad: a\x7f" + "b\r\n\r\n", 400},
      {"obs-fold", get + "X-A: 1\r\n  folded\r\n\r\n", 400},
      {"a space before the colon of X-Forwarded-For", get + "X-Forwarded-For : 6.6.6.6\r\n\r\n", 400},
      {"a field without a name", get + ": foo\r\n\r\n", 400},
      {"a name with a byte outside tchar", get + "X(A): 1\r\n\r\n", 400},
      {"a name with a control byte", get + "X-Bad\x01Name: 1\r\n\r\n", 400},
      {"a line without a colon", get + "NoColon\r\n\r\n", 400},
      // Host.
      {"an HTTP/1.1 request without Host", "GET /a HTTP/1.1\r\n\r\n", 400},
      {"two Hosts", get + "Host: other.test\r\n\r\n", 400},
      {"a Host with a space", "GET /a HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
      {"an empty Host", "GET /a HTTP/1.1\r\nHost:\r\n\r\n", 400},
      {"a Host with userinfo", "GET /a HTTP/1.1\r\nHost: a@proxy.test\r\n\r\n", 400},
      {"a Host with a port past 65535", "GET /a HTTP/1.1\r\nHost: proxy.test:99999\r\n\r\n", 400},
      {"a Host with a port that is not a number", "GET /a HTTP/1.1\r\nHost: proxy.test:ab\r\n\r\n", 400},
      {"a Host with a path", "GET /a HTTP/1.1\r\nHost: proxy.test/x\r\n\r\n", 400},
      {"a Host with a bad IPv6 literal", "GET /a HTTP/1.1\r\nHost: [::g]\r\n\r\n", 400},
      {"an HTTP/1.0 request without Host", "GET /a HTTP/1.0\r\n\r\n", 400},
      // Connection.
      {"Connection: Content-Length (smuggling into the pool)",
       "POST /outer HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: " + std::to_string(kSmuggled.size()) +
           "\r\nConnection: Content-Length\r\n\r\n" + kSmuggled,
       400},
      {"Connection: Transfer-Encoding", te.substr(0, te.size() - 2) + "Connection: Transfer-Encoding\r\n\r\n0\r\n\r\n",
       400},
      {"Connection: Host", get + "Connection: Host\r\n\r\n", 400},
      {"Connection: X-Forwarded-For", get + "Connection: X-Forwarded-For\r\n\r\n", 400},
      {"Connection: X-ARR-SSL", get + "Connection: close, X-ARR-SSL\r\n\r\n", 400},
      {"a Connection option that is not a token", get + "Connection: close, a@b\r\n\r\n", 400},
      // The request-line.
      {"a tab inside the target", "GET /a\tHTTP/1.1 HTTP/1.1\r\n" + H + "\r\n", 400},
      {"a fragment in the target", "GET /a#frag HTTP/1.1\r\n" + H + "\r\n", 400},
      {"an HTTP/0.9 line followed by fields", "GET /a\r\n" + H + "\r\n", 400},
      {"HTTP/2.0 over HTTP/1", "GET /a HTTP/2.0\r\n" + H + "\r\n", 505},
      {"HTTP/9.9", "GET /a HTTP/9.9\r\n" + H + "\r\n", 505},
      {"HTTP/0.9 written out", "GET /a HTTP/0.9\r\n" + H + "\r\n", 505},
      {"a lower-case version", "GET /a http/1.1\r\n" + H + "\r\n", 400},
      {"a two-digit minor version", "GET /a HTTP/1.10\r\n" + H + "\r\n", 400},
      {"CONNECT is answered by serve", "CONNECT proxy.test:443 HTTP/1.1\r\n" + H + "\r\n", 405},
      {"CONNECT with a WebSocket-like Upgrade",
       "CONNECT proxy.test:443 HTTP/1.1\r\n" + H + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n", 405},
      {"a space in the target", "GET /a b HTTP/1.1\r\n" + H + "\r\n", 400},
      {"a word after the version", "GET /a HTTP/1.1 extra\r\n" + H + "\r\n", 400},
      {"a space before the method", " GET /a HTTP/1.1\r\n" + H + "\r\n", 400},
      {"two spaces after the method", "GET  /a HTTP/1.1\r\n" + H + "\r\n", 400},
      {"a method that is not a token", "G@T /a HTTP/1.1\r\n" + H + "\r\n", 400},
      {"a target longer than 8 KiB", "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n" + H + "\r\n", 414},
      {"the asterisk with GET", "GET * HTTP/1.1\r\n" + H + "\r\n", 400},
      {"authority-form with GET", "GET proxy.test:443 HTTP/1.1\r\n" + H + "\r\n", 400},
      {"absolute-form with userinfo", "GET https://user@other.test/ HTTP/1.1\r\n" + H + "\r\n", 400},
      {"absolute-form of another scheme", "GET ftp://other.test/ HTTP/1.1\r\n" + H + "\r\n", 400},
      {"absolute-form with an empty authority", "GET http:///a HTTP/1.1\r\n" + H + "\r\n", 400},
      {"a non-ASCII byte in the target", "GET /caf\xc3\xa9 HTTP/1.1\r\n" + H + "\r\n", 400},
      {"a TLS ClientHello sent inside TLS", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11), 400},
      {"a control byte in the request-line", "GET /a\x01 HTTP/1.1\r\n" + H + "\r\n", 400},
      // Limits.
      {"a head longer than 32 KiB", get + "X-Big: " + std::string(40000, 'b') + "\r\n\r\n", 431},
      {"101 header fields",
       [&] {
         std::string many = get;
         for (int i = 0; i < 101; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
         return many + "\r\n";
       }(),
       431},
  };
}

struct WorkerAnswer {
  const char* name;
  std::string request;
  std::string answer;    // what the web worker sends
  bool close_after;      // and whether it then closes
  std::string expected;  // exactly what the client receives, up to serve's close
  bool cut = false;      // the answer is cut short: the client receives at most a beginning of `expected`
};

std::vector<WorkerAnswer> worker_answers() {
  const std::string get = "GET /r HTTP/1.1\r\n" + H + C + "\r\n";
  const std::string page =
      "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad "
      "Gateway</h1><p>The web server that serves this site did not answer.</p></body></html>\n";
  const std::string bad_gateway =
      "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html; charset=utf-8\r\n"
      "Content-Length: " +
      std::to_string(page.size()) + "\r\nConnection: close\r\n\r\n" + page;
  return {
      {"a length", get, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false,
       "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"},
      {"a 204 with a length and bytes: no body", get, "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello",
       false, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"},
      {"a 304 with bytes: no body, its length kept", get, "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\nhello",
       false, "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"},
      {"the answer to HEAD with bytes: no body", "HEAD /r HTTP/1.1\r\n" + H + C + "\r\n",
       "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", false,
       "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\n"},
      {"100 Continue goes on", get, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
       false, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"},
      {"103 Early Hints goes on", get,
       "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
       false,
       "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
       "Connection: close\r\n\r\nok"},
      {"chunked as it came", get, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", false,
       "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\nok\r\n0\r\n\r\n"},
      {"two equal lengths are one", get, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok", false,
       "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"},
      {"no length: the body ends with the connection", get, "HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nall of it", true,
       "HTTP/1.1 200 OK\r\nX-A: 1\r\nConnection: close\r\n\r\nall of it"},
      {"hop-by-hop fields of the answer go", get,
       "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Secret\r\nX-Secret: 1\r\nKeep-Alive: timeout=5\r\n"
       "Content-Length: 2\r\n\r\nok",
       false, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"},
      {"Content-Length and Transfer-Encoding: 502", get,
       "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", false,
       bad_gateway},
      {"two different lengths: 502", get, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", false,
       bad_gateway},
      {"a 101 the request did not ask for: 502", get, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", false,
       bad_gateway},
      {"a bare LF in the answer's head: 502", get, "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", false, bad_gateway},
      {"obs-fold in the answer: 502", get, "HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\nContent-Length: 2\r\n\r\nok", false,
       bad_gateway},
      {"a four-digit status: 502", get, "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok", false, bad_gateway},
      {"HTTP/2.0 in the status line: 502", get, "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok", false, bad_gateway},
      {"a transfer coding that does not end in chunked: 502", get,
       "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxx", true, bad_gateway},
      {"chunk data not followed by CRLF: the client's answer is cut", get,
       "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX0\r\n\r\nHTTP/1.1 200 OK\r\n", false,
       "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\nok", true},
  };
}

}  // namespace

TEST_SUITE("serve: the proxy's HTTP/1.1 rules") {
  TEST_CASE("accepted requests reach the web worker as exactly these bytes") {
    RulesProxy proxy;
    const auto forms = accepted_forms();
    for (const Accepted& form : forms) {
      const std::string name = form.name;
      CAPTURE(name);
      const std::string answer = proxy.send(form.request);
      CHECK(status_line(answer) == "HTTP/1.1 200 OK");
      CHECK(proxy.worker.take() == form.forwarded);
    }
    CHECK(proxy.server->stop() == 0);
  }

  TEST_CASE("refused requests get their status, and nothing reaches the web worker") {
    RulesProxy proxy;
    const auto forms = refused_forms();
    for (const Refused& form : forms) {
      const std::string name = form.name;
      CAPTURE(name);
      const std::string answer = proxy.send(form.request);
      CHECK(status_line(answer).substr(0, 12) == "HTTP/1.1 " + std::to_string(form.status));
      CHECK(answer.find("\r\nConnection: close\r\n") != std::string::npos);
      CHECK(proxy.worker.take().empty());
    }
    CHECK(proxy.worker.connections() == 0);  // refused before a web worker was even chosen
    CHECK(proxy.fe.status()["connections"]["failures"]["badRequest"].get<std::size_t>() == forms.size());
    CHECK(forms.size() + accepted_forms().size() >= 80);
    CHECK(proxy.server->stop() == 0);
  }

  TEST_CASE("the web worker's answers reach the client as exactly these bytes") {
    RulesProxy proxy;
    const auto answers = worker_answers();
    for (const WorkerAnswer& a : answers) {
      const std::string name = a.name;
      CAPTURE(name);
      proxy.worker.script(a.answer, a.close_after);
      const std::string got = proxy.send(a.request);
      if (a.cut) {
        CHECK(a.expected.starts_with(got));
      } else {
        CHECK(got == a.expected);
      }
      proxy.worker.take();
    }
    CHECK(answers.size() >= 15);
    // Bytes past an answer's end never reach another client: that connection was closed, not pooled.
    proxy.worker.script(
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil");
    CHECK(proxy.send("GET /r HTTP/1.1\r\n" + H + C + "\r\n").ends_with("\r\n\r\nok"));
    proxy.worker.script("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ngood");
    const int before = proxy.worker.connections();
    const std::string next = proxy.send("GET /r HTTP/1.1\r\n" + H + C + "\r\n");
    CHECK(next.ends_with("\r\n\r\ngood"));
    CHECK(proxy.worker.connections() == before + 1);
    CHECK(proxy.fe.status()["connections"]["failures"]["backendProtocol"].get<int>() >= 8);
    CHECK(proxy.server->stop() == 0);
  }

  TEST_CASE("no request can lock an I/O thread: ten lock-up attempts, CPU idle within 1 s, SIGTERM stops serve") {
    RulesProxy proxy({"threads=2"});
    proxy.worker.script("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    const std::string second = "GET /b HTTP/1.1\r\n" + H + "\r\n";
    const std::vector<std::string> attempts{
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n" + second,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: k\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n" +
            second,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n" + second,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: TLS/1.0\r\n\r\n" + second,
        "POST / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nContent-Length: 1\r\n\r\nx" +
            second,
        "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: anything\r\n\r\n" + second,
        "CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n" + second,
        "CONNECT x:443 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n" + second,
        "GET / HTTP/1.0\r\nHost: x\r\nConnection: Upgrade, keep-alive\r\nUpgrade: websocket\r\n\r\n" + second,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: k\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n" +
            second + second,
    };
    // Each attempt on a connection that stays open, so that a spinning thread would stay spun.
    std::vector<std::unique_ptr<TlsConnection>> open;
    for (const std::string& attempt : attempts) {
      open.push_back(std::make_unique<TlsConnection>("127.0.0.1", proxy.port, "proxy.test"));
      REQUIRE(open.back()->ok());
      REQUIRE(open.back()->send(attempt));
      CHECK(status_line(open.back()->receive(1)).starts_with("HTTP/1.1 "));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const pid_t pid = proxy.server->pid();
    const double before = cpu_seconds(pid);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const double used = cpu_seconds(pid) - before;
    MESSAGE("serve's CPU over the idle second after the attempts: " << used << " s");
    CHECK(used < 0.2);
    // Every other client is served, on both threads.
    for (int i = 0; i < 6; ++i)
      CHECK(status_line(proxy.send("GET /c HTTP/1.1\r\n" + H + C + "\r\n")) == "HTTP/1.1 404 Not Found");
    const auto stopping = std::chrono::steady_clock::now();
    CHECK(proxy.server->stop() == 0);
    CHECK(std::chrono::steady_clock::now() - stopping < std::chrono::seconds(11));
  }
}
