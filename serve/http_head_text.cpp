#include "serve/http_head_text.hpp"

#include <algorithm>

#include "serve/http_syntax.hpp"

namespace sslbind::serve {
namespace {

constexpr std::size_t kMaxStatusLine = 1024;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "HTTP/" DIGIT "." DIGIT (RFC 9112, 2.3).
bool parse_version(std::string_view v, unsigned& major, unsigned& minor) {
  if (v.size() != 8 || !v.starts_with("HTTP/") || !is_digit(v[5]) || v[6] != '.' || !is_digit(v[7])) return false;
  major = static_cast<unsigned>(v[5] - '0');
  minor = static_cast<unsigned>(v[7] - '0');
  return true;
}

// Cuts the next line (without its CRLF) off the front of `text`.
std::string_view next_line(std::string_view& text) {
  const auto end = text.find("\r\n");
  const std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 2);
  return line;
}

HttpRefusal refuse(int status, std::string why) { return {status, std::move(why)}; }

HttpRefusal split_request_line(std::string_view first, std::size_t max_target, HttpHead& head) {
  // method SP request-target SP HTTP-version, one space each (RFC 9112, 3).
  const auto sp1 = first.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : first.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || first.find(' ', sp2 + 1) != std::string_view::npos) {
    return refuse(400, "a request-line that is not method, target and version");
  }
  const std::string_view method = first.substr(0, sp1);
  const std::string_view target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  if (!http::is_token(method)) return refuse(400, "a method that is not a token");
  if (target.empty()) return refuse(400, "an empty request-target");
  if (target.size() > max_target) return refuse(414, "the request-target is longer than 8 KiB");
  for (const char c : target) {
    if (!http::is_target_byte(static_cast<unsigned char>(c))) {
      return refuse(400, c == '#' ? "a fragment in the request-target" : "a byte the request-target may not hold");
    }
  }
  if (!parse_version(first.substr(sp2 + 1), head.major, head.minor)) {
    return refuse(400, "an HTTP version that is not HTTP/1.x");
  }
  head.method = method;
  head.target = target;
  return {};
}

HttpRefusal split_status_line(std::string_view first, HttpHead& head) {
  // HTTP-version SP 3DIGIT SP [reason]; a missing last space is forgiven (RFC 9112, 4: the reason is ignored).
  if (first.size() > kMaxStatusLine) return refuse(502, "the status line is too long");
  if (first.size() < 12 || first[8] != ' ' || !parse_version(first.substr(0, 8), head.major, head.minor) ||
      !is_digit(first[9]) || !is_digit(first[10]) || !is_digit(first[11]) || (first.size() > 12 && first[12] != ' ')) {
    return refuse(502, "a status line that is not version, code and reason");
  }
  head.status = (first[9] - '0') * 100 + (first[10] - '0') * 10 + (first[11] - '0');
  if (head.status < 100 || head.status > 599) return refuse(502, "a status code outside 100-599");
  head.reason = first.size() > 13 ? std::string(first.substr(13)) : std::string();
  if (!http::is_field_value(head.reason)) return refuse(502, "a control byte in the reason phrase");
  return {};
}

// field-name ":" OWS field-value OWS, one per line (RFC 9112, 5).
HttpRefusal split_fields(std::string_view text, int bad, HttpHead& head) {
  head.headers.reserve(16);  // most heads hold fewer: one allocation rather than one per doubling
  while (!text.empty()) {
    const std::string_view line = next_line(text);
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      return refuse(bad, "a header field folded onto a second line (obs-fold)");
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return refuse(bad, "a header line without a colon");
    const std::string_view name = line.substr(0, colon);
    if (!http::is_token(name)) {
      return refuse(bad, name.empty() ? "a header field without a name" : "a header field name that is not a token");
    }
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (!http::is_field_value(value)) return refuse(bad, "a control byte in a header field value");
    head.headers.push_back({std::string(name), std::string(value)});
  }
  return {};
}

HttpRefusal split_head(std::string_view text, bool request, std::size_t max_target, HttpHead& head) {
  while (text.starts_with("\r\n")) text.remove_prefix(2);
  const std::string_view first = next_line(text);
  HttpRefusal r = request ? split_request_line(first, max_target, head) : split_status_line(first, head);
  if (r.status != 0) return r;
  if (head.major != 1) return refuse(request ? 505 : 502, "HTTP/" + std::to_string(head.major) + " over HTTP/1");
  head.minor = std::min(head.minor, 1U);  // HTTP/1.2 and later minors are read as 1.1 (RFC 9110, 2.5)
  return split_fields(text, request ? 400 : 502, head);
}

}  // namespace

HttpRefusal split_request_head(std::string_view text, std::size_t max_target, HttpHead& head) {
  return split_head(text, true, max_target, head);
}

HttpRefusal split_response_head(std::string_view text, HttpHead& head) { return split_head(text, false, 0, head); }

}  // namespace sslbind::serve
