#include "serve/http_forward.hpp"

#include <array>

#include "core/text.hpp"
#include "serve/client_certificate.hpp"
#include "serve/http_rules.hpp"
#include "serve/http_syntax.hpp"

namespace sslbind::serve {
namespace {

// Meaningful for one connection only (RFC 9110, 7.6.1), whatever Connection lists besides. The framing fields are
// written afresh from what the reader accepted, never copied.
constexpr std::array<std::string_view, 10> kNotCopied{
    "connection", "keep-alive",     "proxy-connection", "te", "trailer", "upgrade", "proxy-authenticate",
    "host",       "content-length", "transfer-encoding"};

// A CGI-style server reads "Content_Length" as it reads "Content-Length": such a spelling of a field the proxy
// frames, routes or forwards by is dropped with the real one, never passed off as it.
bool copied(const HttpHeader& h, const std::vector<std::string>& listed) {
  for (std::string_view n : kNotCopied) {
    if (http::cgi_equals(h.name, n)) return false;
  }
  for (const std::string& l : listed) {
    if (text::iequals(h.name, l)) return false;
  }
  return true;
}

void field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

void framing(std::string& out, const HttpHead& head) {
  if (head.chunked) {
    std::string codings;
    for (const HttpHeader& h : head.headers) {
      if (!text::iequals(h.name, "transfer-encoding")) continue;
      for (std::string_view e : http::list_elements(h.value)) codings += (codings.empty() ? "" : ", ") + std::string(e);
    }
    field(out, "Transfer-Encoding", codings);
  } else if (head.content_length) {
    field(out, "Content-Length", std::to_string(*head.content_length));
  }
}

// The bytes of a head's fields as received, for a head's first allocation to hold what is built from them.
std::size_t fields_size(const HttpHead& head) {
  std::size_t n = 0;
  for (const HttpHeader& h : head.headers) n += h.name.size() + h.value.size() + 4;
  return n;
}

}  // namespace

std::string backend_request_head(const HttpHead& request, const ForwardFields& fields) {
  std::string out;
  std::size_t certificate = 0;
  if (fields.client_certificate != nullptr) {
    certificate = 2 * fields.client_certificate->der_base64.size() + 64;
    for (const std::string& c : fields.client_certificate->chain_base64) certificate += c.size() + 4;
  }
  out.reserve(fields_size(request) + request.path.size() + fields.arr_ssl.size() + certificate + 160);
  out += request.method;
  out += ' ';
  out += request.path;
  out += " HTTP/1.1\r\n";
  // Host and the framing field take the place of the client's, so that the web worker sees the fields in the order
  // they were sent; a request whose authority came from its target alone gets Host first.
  bool host_written = request.find("host") == nullptr;
  if (host_written) field(out, "Host", request.authority);
  bool framing_written = false;
  for (const HttpHeader& h : request.headers) {
    if (!host_written && text::iequals(h.name, "host")) {
      field(out, "Host", request.authority);
      host_written = true;
    } else if (!framing_written &&
               (text::iequals(h.name, "content-length") || text::iequals(h.name, "transfer-encoding"))) {
      framing(out, request);
      framing_written = true;
    } else if (copied(h, request.connection) && !forwarding_field(h.name)) {
      field(out, h.name, h.value);
    }
  }
  if (request.upgrade) {
    // A WebSocket handshake goes on as RFC 6455 shapes it: the web worker answers 101 and the connection becomes
    // a tunnel. Any other Upgrade is dropped with the other hop-by-hop fields.
    field(out, "Upgrade", "websocket");
    field(out, "Connection", "Upgrade");
  }
  // ARR sends the address with its port; sslbind sends the address alone, as HAProxy and nginx do, which every
  // framework's forwarded-headers support reads.
  field(out, "X-Forwarded-For", fields.client_address);
  field(out, "X-Forwarded-Proto", "https");
  if (!fields.arr_ssl.empty()) field(out, "X-ARR-SSL", fields.arr_ssl);
  if (const ClientCertificate* c = fields.client_certificate; c != nullptr) {
    field(out, "X-ARR-ClientCert", c->der_base64);
    field(out, "Client-Cert", client_cert_field(*c));
    if (!c->chain_base64.empty()) field(out, "Client-Cert-Chain", client_cert_chain_field(*c));
  }
  out += "\r\n";
  return out;
}

std::string client_response_head(const HttpHead& response, bool keep_alive) {
  std::string out;
  out.reserve(fields_size(response) + response.reason.size() + 64);
  out += "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out += response.reason;
  out += "\r\n";
  // A 1xx and a 204 have no framing fields (RFC 9110, 8.6); a 304 and the answer to HEAD keep the ones that
  // describe the representation. In the place of the web worker's first one.
  bool framing_written = response.status < 200 || response.status == 204;
  for (const HttpHeader& h : response.headers) {
    if (!framing_written && (text::iequals(h.name, "content-length") || text::iequals(h.name, "transfer-encoding"))) {
      framing(out, response);
      framing_written = true;
    } else if (copied(h, response.connection)) {
      field(out, h.name, h.value);
    }
  }
  if (response.status == 101) {
    field(out, "Upgrade", "websocket");
    field(out, "Connection", "Upgrade");
  } else if (!keep_alive && response.status >= 200) {
    field(out, "Connection", "close");
  }
  out += "\r\n";
  return out;
}

bool idempotent(const std::string& method) {
  for (std::string_view m : {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"}) {
    if (method == m) return true;
  }
  return false;
}

}  // namespace sslbind::serve
