#include "serve/http_syntax.hpp"

#include <arpa/inet.h>

#include <cstring>

#include "core/text.hpp"

namespace sslbind::serve::http {
namespace {

bool is_alnum(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_unreserved(unsigned char c) { return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }
bool is_sub_delim(unsigned char c) { return std::strchr("!$&'()*+,;=", c) != nullptr && c != 0; }

bool is_reg_name(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      if (i + 2 >= s.size() || !text::is_hex_digit(s[i + 1]) || !text::is_hex_digit(s[i + 2])) return false;
      i += 2;
    } else if (!is_unreserved(c) && !is_sub_delim(c)) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool is_tchar(unsigned char c) { return is_alnum(c) || (c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr); }

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!is_tchar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool is_field_value(std::string_view s) {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\t' || c == ' ' || (c > 0x20 && c != 0x7F)) continue;
    return false;
  }
  return true;
}

bool is_target_byte(unsigned char c) { return c > 0x20 && c < 0x7F && c != '#'; }

std::vector<std::string_view> list_elements(std::string_view value) {
  std::vector<std::string_view> out;
  for_each_list_element(value, [&](std::string_view element) {
    out.push_back(element);
    return true;
  });
  return out;
}

namespace {

char cgi_char(char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  return c == '_' ? '-' : c;
}

}  // namespace

bool cgi_starts_with(std::string_view name, std::string_view lower) {
  if (name.size() < lower.size()) return false;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    if (cgi_char(name[i]) != lower[i]) return false;
  }
  return true;
}

bool cgi_equals(std::string_view name, std::string_view lower) {
  return name.size() == lower.size() && cgi_starts_with(name, lower);
}

std::optional<Authority> parse_authority(std::string_view text) {
  Authority out;
  std::string_view rest;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string inside(text.substr(1, close - 1));
    in6_addr address{};
    if (inside.empty() || ::inet_pton(AF_INET6, inside.c_str(), &address) != 1) return std::nullopt;
    out.host = std::string(text.substr(0, close + 1));
    rest = text.substr(close + 1);
  } else {
    const auto colon = text.find(':');
    out.host = std::string(text.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
    // An IPv4 address is a reg-name by its characters too; either way the host must not be empty.
    if (out.host.empty() || !is_reg_name(out.host)) return std::nullopt;
  }
  if (rest.empty()) return out;
  if (rest.front() != ':') return std::nullopt;
  rest.remove_prefix(1);
  if (rest.empty()) return out;  // "host:" is allowed by RFC 3986: no port
  const auto port = text::parse_decimal(rest, 65535);
  if (!port || rest.size() > 5) return std::nullopt;
  out.port = static_cast<unsigned>(*port);
  return out;
}

}  // namespace sslbind::serve::http
