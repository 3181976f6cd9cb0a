#pragma once
// The heads the front end sends on, as ARR does: to the web worker, the request without its hop-by-hop fields and
// without the forwarding fields a client could forge, plus X-Forwarded-For, X-Forwarded-Proto, X-ARR-SSL and the
// client's certificate; to the client, the response without hop-by-hop fields. Pure functions of their input.
#include <string>
#include <string_view>

#include "serve/http_parser.hpp"

namespace sslbind::serve {

struct ClientCertificate;

struct ForwardFields {
  std::string_view client_address;  // X-Forwarded-For: "203.0.113.7", "2001:db8::7" (made once per connection)
  // X-ARR-SSL: "<key bits>|<cipher bits>|<issuer>|<subject>" of the certificate that served; empty: not sent.
  std::string_view arr_ssl;
  // The client's certificate, trusted, where the connection negotiated one: X-ARR-ClientCert, Client-Cert and
  // Client-Cert-Chain (client_certificate.hpp). Null: none sent.
  const ClientCertificate* client_certificate = nullptr;
};

std::string backend_request_head(const HttpHead& request, const ForwardFields& fields);
// `keep_alive`: whether the client connection stays open after this response.
std::string client_response_head(const HttpHead& response, bool keep_alive);

// Whether a request may be sent again to another server after the first failed before answering (RFC 9110, 9.2.2).
bool idempotent(const std::string& method);

}  // namespace sslbind::serve
