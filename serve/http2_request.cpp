#include "serve/http2_request.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "serve/http_rules.hpp"
#include "serve/http_syntax.hpp"

namespace sslbind::serve {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

}  // namespace

bool Http2Request::refuse(int status, std::string why) {
  if (status_ == 0) {
    status_ = status;
    why_ = std::move(why);
  }
  return false;
}

bool Http2Request::add(std::string_view name, std::string_view value) {
  if (status_ != 0) return false;
  // HPACK's accounting of a field (RFC 7541, 4.1), against the same budget as an HTTP/1.1 head: past it the request
  // is refused at once, never buffered further.
  bytes_ += name.size() + value.size() + 32;
  if (bytes_ > limits_.max_head)
    return refuse(431, "the header list is larger than " + std::to_string(limits_.max_head));
  if (fields_.size() >= limits_.max_headers) {
    return refuse(431, "more than " + std::to_string(limits_.max_headers) + " header fields");
  }
  if (name.empty()) return refuse(400, "an empty field name");
  for (const char c : name) {
    if (c >= 'A' && c <= 'Z') return refuse(400, "a field name with upper case: " + std::string(name));
  }
  // RFC 9113, 8.2.1: no CR, LF or NUL anywhere, no whitespace around a value. The head is written as HTTP/1.1 text
  // below, so a byte that could end a line here would forge a field there: each value is checked on its own.
  if (!http::is_field_value(value) || (!value.empty() && (is_space(value.front()) || is_space(value.back())))) {
    return refuse(400, "a field value that HTTP does not allow, in " + std::string(name));
  }
  if (name.front() == ':') {
    const bool fits = name == ":method" ? http::is_token(value)
                      : name == ":path"
                          ? std::all_of(value.begin(), value.end(),
                                        [](char c) { return http::is_target_byte(static_cast<unsigned char>(c)); })
                      : name == ":scheme" ? http::is_token(value)
                                          : value.find(' ') == std::string_view::npos;
    if (!fits) return refuse(400, "a value " + std::string(name) + " cannot have");
    if (regular_seen_) return refuse(400, "a pseudo-header after a regular field: " + std::string(name));
    auto set = [&](std::string& into, bool& has) {
      if (has) return refuse(400, "a repeated pseudo-header: " + std::string(name));
      has = true;
      into = value;
      return true;
    };
    if (name == ":method") return set(method_, has_method_);
    if (name == ":scheme") return set(scheme_, has_scheme_);
    if (name == ":authority") return set(authority_, has_authority_);
    if (name == ":path") return set(path_, has_path_);
    if (name == ":protocol") return set(protocol_, has_protocol_);
    return refuse(400, "an unknown pseudo-header: " + std::string(name));
  }
  regular_seen_ = true;
  if (!http::is_token(name)) return refuse(400, "a field name that is no token");
  if (connection_specific_field(name)) return refuse(400, "a connection-specific field: " + std::string(name));
  if (name == "te" && value != "trailers") return refuse(400, "te other than trailers");
  if (name == "cookie") {
    if (!cookie_.empty()) cookie_ += "; ";
    cookie_ += value;
    return true;
  }
  if (name == "content-length") has_content_length_ = true;
  if (fields_.empty()) fields_.reserve(16);
  fields_.push_back({std::string(name), std::string(value)});
  return true;
}

void Http2Request::add_trailer(std::string_view name, std::string_view value) {
  bytes_ += name.size() + value.size() + 32;
  if (bytes_ > limits_.max_head || trailers_.size() >= limits_.max_headers) return;
  const bool lower = std::none_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!lower || !http::is_token(name) || !http::is_field_value(value)) return;
  if (!value.empty() && (is_space(value.front()) || is_space(value.back()))) return;
  if (connection_specific_field(name) || forwarding_field(name) || forbidden_in_trailer(name)) return;
  trailers_.push_back({std::string(name), std::string(value)});
}

std::string Http2Request::trailer_text() const {
  std::string text;
  for (const HttpHeader& t : trailers_) text += t.name + ": " + t.value + "\r\n";
  return text;
}

Http2Request::Result Http2Request::finish(bool body, std::string_view websocket_key) {
  Result r;
  auto refused = [&](int status, std::string why) {
    refuse(status, std::move(why));
    r.status = status_;
    r.why = why_;
    return r;
  };
  if (status_ != 0) return refused(status_, why_);
  if (!has_method_) return refused(400, "no :method");
  std::string method = method_;
  if (method_ == "CONNECT") {
    // RFC 8441: only the WebSocket protocol is tunnelled; a plain CONNECT is refused as for HTTP/1.1.
    if (!has_protocol_) return refused(405, "CONNECT is not tunnelled");
    if (protocol_ != "websocket") return refused(400, "an extended CONNECT for " + protocol_);
    if (websocket_key.empty()) return refused(400, "no WebSocket key to send");
    r.websocket = true;
    method = "GET";
  } else if (has_protocol_) {
    return refused(400, ":protocol without CONNECT");
  }
  if (!has_scheme_ || !has_path_) return refused(400, "no :scheme or :path");
  if (scheme_ != "https") return refused(400, "the scheme " + scheme_ + " on a TLS connection");
  if (path_.empty()) return refused(400, "an empty :path");
  // The authority routed on: :authority, else Host; when both come they must agree (RFC 9113, 8.3.1).
  std::string authority = authority_;
  for (const HttpHeader& f : fields_) {
    if (f.name != "host") continue;
    if (!has_authority_) {
      authority = f.value;
    } else if (!text::iequals(f.value, authority_)) {
      return refused(400, "host " + f.value + " differs from :authority " + authority_);
    }
  }
  if (authority.empty()) return refused(400, "no :authority and no host");
  if (path_.size() > limits_.max_target)
    return refused(414, "a :path longer than " + std::to_string(limits_.max_target));

  // RFC 9113, 8.3.1: the path is origin-form, or "*" for OPTIONS; the authority is never in it.
  if (path_ != "*" && !path_.starts_with('/')) return refused(400, "a :path that is not origin-form");

  // The head as an HTTP/1.1 client would have sent it; every piece was checked against the grammar as it came, so
  // what is left are the same rules an HTTP/1.1 request's head passes (http_rules.hpp).
  HttpHead& head = r.head.emplace();
  head.method = std::move(method);
  head.target = path_;
  head.headers.reserve(fields_.size() + 4);
  head.headers.push_back({"host", std::move(authority)});
  for (HttpHeader& f : fields_) {
    if (f.name != "host") head.headers.push_back(std::move(f));
  }
  fields_.clear();
  if (!cookie_.empty()) head.headers.push_back({"cookie", std::move(cookie_)});
  if (r.websocket) {
    head.headers.push_back({"connection", "upgrade"});
    head.headers.push_back({"upgrade", "websocket"});
    head.headers.push_back({"sec-websocket-key", std::string(websocket_key)});
  } else if (body && !has_content_length_) {
    head.headers.push_back({"transfer-encoding", "chunked"});
  }
  BodyFraming framing = BodyFraming::None;
  if (const HttpRefusal refusal = check_request(head, framing); refusal.status != 0) {
    r.head.reset();
    return refused(refusal.status, refusal.why);
  }
  if (r.websocket && !r.head->upgrade) return refused(400, "not a WebSocket handshake");
  return r;
}

}  // namespace sslbind::serve
