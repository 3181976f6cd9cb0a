#pragma once
// What a parsed head must satisfy before the proxy acts on it (RFC 9110 and 9112, and the proxy's own safety
// rules), and the body framing it then has. Pure functions: the parser calls them once a head is whole.
#include <string>

#include "serve/http_parser.hpp"

namespace sslbind::serve {

struct HttpRefusal {
  int status = 0;  // 0: accepted
  std::string why;
};

enum class BodyFraming { None, Length, Chunked, UntilClose };

// Checks a request head and completes it: authority, path, connection options, keep_alive, upgrade. Sets
// `framing`.
HttpRefusal check_request(HttpHead& head, BodyFraming& framing);
// Checks a web worker's response head (its refusals are answered 502 by the caller) and sets `framing`.
// `head_request`: the request was HEAD; `upgrade_asked`: it was a WebSocket handshake.
HttpRefusal check_response(HttpHead& head, bool head_request, bool upgrade_asked, BodyFraming& framing);

// A field the front end writes itself (X-Forwarded-*, X-ARR-*, Forwarded, X-Real-IP, X-Original-URL,
// X-Rewrite-URL, RFC 9440's Client-Cert and Client-Cert-Chain), by its name as a CGI-style server reads it: a
// client's copy is never sent on.
bool forwarding_field(std::string_view name);

// RFC 9113, 8.2.2 (and RFC 9110, 7.6.1): a field, in lower case, that only means something to one HTTP/1.1
// connection: Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade. TE is apart: HTTP/2 lets it say
// "trailers".
bool connection_specific_field(std::string_view lower);
// RFC 9110, 6.5.1: a field, in lower case, that a trailer section may not carry (framing, routing, authentication,
// content metadata, cookies, and TE and Trailer themselves).
bool forbidden_in_trailer(std::string_view lower);

}  // namespace sslbind::serve
