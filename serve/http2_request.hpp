#pragma once
// An HTTP/2 request's fields (RFC 9113, 8.3), gathered as nghttp2 hands them over and turned into the HTTP/1.1 head
// the web farm is sent. Each field is checked against HTTP/1.1's grammar as it comes (nothing that could end a line
// or a field passes), then the head passes the same rules as an HTTP/1.1 client's request (http_rules.hpp);
// RFC 9113 8.2's own rules come first. nghttp2 already refuses most malformed forms (its HTTP messaging checks);
// these checks do not rely on it. fuzz_http2 checks that an accepted head reads back as the same one request.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serve/http_parser.hpp"

namespace sslbind::serve {

class Http2Request {
 public:
  explicit Http2Request(HttpLimits limits = {}) : limits_(limits) {}

  // One field, as decoded from HPACK. False refuses the request; status() then says how (400, 431).
  bool add(std::string_view name, std::string_view value);
  int status() const { return status_; }
  // An extended CONNECT (RFC 8441) came: finish() needs a WebSocket key.
  bool extended_connect() const { return has_protocol_; }
  const std::string& why() const { return why_; }

  // A trailer field of the request (a HEADERS frame after its DATA). Kept when it would be a valid HTTP/1.1 trailer
  // field that is not about framing, routing or the connection (RFC 9110, 6.5.1), within the same budget as the
  // head; others are dropped, never sent on. They go to the web worker after a chunked body's last chunk.
  void add_trailer(std::string_view name, std::string_view value);
  // "name: value\r\n" for each kept trailer field.
  std::string trailer_text() const;

  struct Result {
    std::optional<HttpHead> head;  // empty: refused with `status`
    int status = 0;
    std::string why;
    bool websocket = false;  // extended CONNECT (RFC 8441): the head is an HTTP/1.1 WebSocket handshake
  };
  // The request head for the web worker. `body`: DATA frames follow the HEADERS (no END_STREAM on them); a body
  // without content-length goes chunked. `websocket_key`: the Sec-WebSocket-Key to send for an extended CONNECT
  // (RFC 8441 has none; the web worker needs one).
  Result finish(bool body, std::string_view websocket_key = {});

 private:
  bool refuse(int status, std::string why);

  HttpLimits limits_;
  std::string method_, scheme_, authority_, path_, protocol_;
  bool has_method_ = false, has_scheme_ = false, has_authority_ = false, has_path_ = false, has_protocol_ = false;
  std::vector<HttpHeader> fields_;
  std::string cookie_;  // the crumbs joined with "; " (RFC 9113, 8.2.3)
  std::vector<HttpHeader> trailers_;
  bool has_content_length_ = false;
  bool regular_seen_ = false;
  std::size_t bytes_ = 0;
  int status_ = 0;
  std::string why_;
};

}  // namespace sslbind::serve
