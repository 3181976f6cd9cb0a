#include "serve/http_forward.hpp"

#include <array>

#include "core/text.hpp"

namespace sslbind::serve {
namespace {

// Meaningful for one connection only (RFC 9110, 7.6.1), whatever Connection lists besides.
constexpr std::array<std::string_view, 7> kHopByHop{"connection", "keep-alive", "proxy-connection",  "te",
                                                    "trailer",    "upgrade",    "proxy-authenticate"};
// A client could forge these to pass for another address or for HTTPS; ARR's own are added afresh.
constexpr std::array<std::string_view, 3> kForgeable{"x-forwarded-for", "x-forwarded-proto", "x-original-url"};

// The field names a Connection field lists (comma-separated tokens), in lower case.
std::vector<std::string> connection_options(const HttpHead& head) {
  std::vector<std::string> out;
  for (const HttpHeader& h : head.headers) {
    if (!text::iequals(h.name, "connection")) continue;
    std::size_t start = 0;
    while (start <= h.value.size()) {
      std::size_t comma = h.value.find(',', start);
      if (comma == std::string::npos) comma = h.value.size();
      std::string token = text::to_lower(h.value.substr(start, comma - start));
      const auto first = token.find_first_not_of(" \t");
      const auto last = token.find_last_not_of(" \t");
      if (first != std::string::npos) out.push_back(token.substr(first, last - first + 1));
      start = comma + 1;
    }
  }
  return out;
}

bool hop_by_hop(const std::string& lower_name, const std::vector<std::string>& listed) {
  for (std::string_view h : kHopByHop) {
    if (lower_name == h) return true;
  }
  for (const std::string& l : listed) {
    if (lower_name == l) return true;
  }
  return false;
}

void field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

}  // namespace

std::string backend_request_head(const HttpHead& request, const ForwardFields& fields) {
  const auto listed = connection_options(request);
  std::string out = request.method + " " + request.target + " HTTP/1.1\r\n";
  for (const HttpHeader& h : request.headers) {
    const std::string lower = text::to_lower(h.name);
    if (hop_by_hop(lower, listed) || lower.starts_with("x-arr-")) continue;
    bool forged = false;
    for (std::string_view f : kForgeable) forged = forged || lower == f;
    if (forged) continue;
    field(out, h.name, h.value);
  }
  if (request.upgrade) {
    // A WebSocket handshake goes on as it came: the web worker answers 101 and the connection becomes a tunnel.
    if (const std::string* upgrade = request.find("upgrade")) field(out, "Upgrade", *upgrade);
    field(out, "Connection", "Upgrade");
  }
  // ARR sends the address with its port; sslbind sends the address alone, as HAProxy and nginx do, which every
  // framework's forwarded-headers support reads.
  field(out, "X-Forwarded-For", fields.client.address.str());
  field(out, "X-Forwarded-Proto", "https");
  if (!fields.arr_ssl.empty()) field(out, "X-ARR-SSL", fields.arr_ssl);
  return out + "\r\n";
}

std::string client_response_head(const HttpHead& response, bool keep_alive) {
  const auto listed = connection_options(response);
  const bool switching = response.status == 101;
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + response.reason + "\r\n";
  for (const HttpHeader& h : response.headers) {
    const std::string lower = text::to_lower(h.name);
    if (hop_by_hop(lower, listed)) continue;
    field(out, h.name, h.value);
  }
  if (switching) {
    if (const std::string* upgrade = response.find("upgrade")) field(out, "Upgrade", *upgrade);
    field(out, "Connection", "Upgrade");
  } else if (!keep_alive) {
    field(out, "Connection", "close");
  }
  return out + "\r\n";
}

bool idempotent(const std::string& method) {
  for (std::string_view m : {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"}) {
    if (method == m) return true;
  }
  return false;
}

}  // namespace sslbind::serve
