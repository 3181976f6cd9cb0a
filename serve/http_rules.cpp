#include "serve/http_rules.hpp"

#include <algorithm>

#include <array>

#include "core/text.hpp"
#include "serve/http_syntax.hpp"

namespace sslbind::serve {
namespace {

HttpRefusal refuse(int status, std::string why) { return {status, std::move(why)}; }

bool contains(const std::vector<std::string>& tokens, std::string_view token) {
  for (const std::string& t : tokens) {
    if (t == token) return true;
  }
  return false;
}

// The elements of every field of this name, in order.
std::vector<std::string_view> elements_of(const HttpHead& head, std::string_view name) {
  std::vector<std::string_view> out;
  for (const HttpHeader& h : head.headers) {
    if (!text::iequals(h.name, name)) continue;
    for (std::string_view e : http::list_elements(h.value)) out.push_back(e);
  }
  return out;
}

// Content-Length: one value of digits. `identical_copies`: a web worker may repeat the same value (RFC 9110, 8.6).
HttpRefusal content_length(HttpHead& head, bool identical_copies) {
  std::optional<std::uint64_t> length;
  for (const HttpHeader& h : head.headers) {
    if (!text::iequals(h.name, "content-length")) continue;
    bool any = false;
    std::optional<HttpRefusal> refused;
    http::for_each_list_element(h.value, [&](std::string_view v) {
      any = true;
      const auto n = text::parse_decimal(v, std::uint64_t{1} << 62);
      if (!n || v.size() > 19) {
        refused = refuse(400, "a Content-Length that is not a number: " + text::quote(h.value));
      } else if (length && (*length != *n || !identical_copies)) {
        refused = refuse(400, "two Content-Length values");
      } else {
        length = n;
      }
      return !refused;
    });
    if (refused) return *refused;
    if (!any) return refuse(400, "an empty Content-Length");
  }
  head.content_length = length;
  return {};
}

// Transfer-Encoding: chunked, last and once. `only_chunked`: any other coding is one the front end does not know.
HttpRefusal transfer_encoding(HttpHead& head, bool only_chunked) {
  if (head.find("transfer-encoding") == nullptr) return {};
  if (head.minor == 0) return refuse(400, "Transfer-Encoding in an HTTP/1.0 message");
  if (head.content_length) return refuse(400, "both Content-Length and Transfer-Encoding");
  const auto codings = elements_of(head, "transfer-encoding");
  if (codings.empty() || !text::iequals(codings.back(), "chunked")) {
    return refuse(400, "a Transfer-Encoding that does not end in chunked");
  }
  for (std::size_t i = 0; i + 1 < codings.size(); ++i) {
    if (text::iequals(codings[i], "chunked")) return refuse(400, "chunked applied twice");
    if (!http::is_token(codings[i])) return refuse(400, "a transfer coding that is not a token");
    if (only_chunked) return refuse(501, "the transfer coding " + text::quote(codings[i]) + " is not supported");
  }
  head.chunked = true;
  return {};
}

// Connection's options, each a token, in lower case.
HttpRefusal connection_options(HttpHead& head) {
  head.connection.clear();
  std::optional<HttpRefusal> refused;
  for (const HttpHeader& h : head.headers) {
    if (!text::iequals(h.name, "connection")) continue;
    http::for_each_list_element(h.value, [&](std::string_view e) {
      if (!http::is_token(e)) {
        refused = refuse(400, "a Connection option that is not a token: " + text::quote(e));
        return false;
      }
      head.connection.push_back(text::to_lower(e));
      return true;
    });
    if (refused) return *refused;
  }
  return {};
}

bool keep_alive(const HttpHead& head) {
  return head.minor >= 1 ? !contains(head.connection, "close") : contains(head.connection, "keep-alive");
}

// The request-target: origin-form, absolute-form (http or https: its authority is the Host), or "*" for OPTIONS.
HttpRefusal target(HttpHead& head, std::string& target_authority) {
  const std::string& t = head.target;
  if (t == "*") {
    if (head.method != "OPTIONS") return refuse(400, "the asterisk target with a method other than OPTIONS");
    head.path = t;
    return {};
  }
  if (t.starts_with('/')) {
    head.path = t;
    return {};
  }
  const auto scheme_end = t.find("://");
  if (scheme_end == std::string::npos) return refuse(400, "a request-target that is neither a path nor a URL");
  const std::string scheme = text::to_lower(std::string_view(t).substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return refuse(400, "a URL of scheme " + text::quote(scheme));
  const std::size_t start = scheme_end + 3;
  const std::size_t end = std::min(t.find_first_of("/?", start), t.size());
  target_authority = t.substr(start, end - start);
  if (!http::parse_authority(target_authority)) {
    return refuse(400, "the URL's authority is not a host and port: " + text::quote(target_authority));
  }
  head.path = end == t.size() ? "/" : (t[end] == '?' ? "/" : "") + t.substr(end);
  return {};
}

// RFC 6455, 4.1: GET, HTTP/1.1, Connection: upgrade, Upgrade: websocket, a key and a version, no body.
bool websocket_handshake(const HttpHead& head) {
  if (head.method != "GET" || head.minor < 1 || !contains(head.connection, "upgrade")) return false;
  bool websocket = false;
  for (std::string_view e : elements_of(head, "upgrade")) websocket = websocket || text::iequals(e, "websocket");
  return websocket && head.count("sec-websocket-key") == 1 && head.count("sec-websocket-version") == 1 &&
         !head.chunked && head.content_length.value_or(0) == 0;
}

}  // namespace

bool connection_specific_field(std::string_view lower) {
  static constexpr std::string_view kFields[] = {"connection", "keep-alive", "proxy-connection", "transfer-encoding",
                                                 "upgrade"};
  return std::find(std::begin(kFields), std::end(kFields), lower) != std::end(kFields);
}

bool forbidden_in_trailer(std::string_view lower) {
  static constexpr std::string_view kFields[] = {
      "content-length",   "transfer-encoding", "host",          "te",     "trailer",   "content-type",
      "content-encoding", "content-range",     "authorization", "cookie", "set-cookie"};
  return std::find(std::begin(kFields), std::end(kFields), lower) != std::end(kFields);
}

bool forwarding_field(std::string_view name) {
  // RFC 9440's client certificate fields are the front end's to send, like ARR's X-ARR-ClientCert.
  static constexpr std::array<std::string_view, 7> kExact{"forwarded",        "x-real-ip",       "x-original-url",
                                                          "x-rewrite-url",    "x-original-host", "client-cert",
                                                          "client-cert-chain"};
  for (std::string_view e : kExact) {
    if (http::cgi_equals(name, e)) return true;
  }
  return http::cgi_starts_with(name, "x-forwarded-") || http::cgi_starts_with(name, "x-arr-");
}

HttpRefusal check_request(HttpHead& head, BodyFraming& framing) {
  if (head.method == "CONNECT") return refuse(405, "CONNECT: the front end is not a forward proxy");
  std::string target_authority;
  if (auto r = target(head, target_authority); r.status != 0) return r;
  const std::size_t hosts = head.count("host");
  if (hosts > 1) return refuse(400, "two Host header fields");
  if (target_authority.empty()) {
    const std::string* host = head.find("host");
    if (host == nullptr)
      return refuse(400, head.minor == 0 ? "an HTTP/1.0 request without Host cannot be routed"
                                         : "an HTTP/1.1 request without Host");
    if (!http::parse_authority(*host)) return refuse(400, "a Host that is not a host and port: " + text::quote(*host));
    head.authority = *host;
  } else {
    // RFC 9112, 3.2.2: the target's authority wins over any Host field.
    head.authority = target_authority;
  }
  if (auto r = content_length(head, false); r.status != 0) return r;
  if (auto r = transfer_encoding(head, true); r.status != 0) return r;
  if (auto r = connection_options(head); r.status != 0) return r;
  for (const std::string& option : head.connection) {
    // Connection removes the fields it names on the next hop: never the ones framing or routing depend on, nor
    // the ones the front end writes.
    if (option == "host" || option == "content-length" || option == "transfer-encoding" || forwarding_field(option)) {
      return refuse(400, "Connection names " + text::quote(option) + ", which is not a hop-by-hop field");
    }
  }
  head.keep_alive = keep_alive(head);
  head.upgrade = websocket_handshake(head);
  framing = head.chunked ? BodyFraming::Chunked
                         : (head.content_length.value_or(0) > 0 ? BodyFraming::Length : BodyFraming::None);
  return {};
}

HttpRefusal check_response(HttpHead& head, bool head_request, bool upgrade_asked, BodyFraming& framing) {
  if (head.status == 101 && !upgrade_asked) return refuse(502, "a 101 the request did not ask for");
  if (auto r = content_length(head, true); r.status != 0) return refuse(502, r.why);
  if (auto r = transfer_encoding(head, false); r.status != 0) return refuse(502, r.why);
  if (auto r = connection_options(head); r.status != 0) return refuse(502, r.why);
  head.upgrade = head.status == 101;
  // RFC 9112, 6.3: these end at their head, whatever their fields say.
  const bool bodiless = head_request || head.status < 200 || head.status == 204 || head.status == 304;
  if (bodiless) {
    framing = BodyFraming::None;
  } else if (head.chunked) {
    framing = BodyFraming::Chunked;
  } else if (head.content_length) {
    framing = *head.content_length > 0 ? BodyFraming::Length : BodyFraming::None;
  } else {
    framing = BodyFraming::UntilClose;
  }
  head.keep_alive = keep_alive(head) && framing != BodyFraming::UntilClose;
  return {};
}

}  // namespace sslbind::serve
