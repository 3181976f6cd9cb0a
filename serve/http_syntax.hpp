#pragma once
// The grammar of HTTP/1.1's pieces as RFC 9110 and 9112 write it (tokens, field values, request-targets, the Host
// authority), as pure predicates. The parser and the message rules judge with these alone, so one rule has one home.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sslbind::serve::http {

// tchar (RFC 9110, 5.6.2): letters, digits and !#$%&'*+-.^_`|~.
bool is_tchar(unsigned char c);
bool is_token(std::string_view s);
// field-value (RFC 9110, 5.5): visible ASCII, obs-text, and SP/HTAB between them; no other control byte.
bool is_field_value(std::string_view s);
// A byte a request-target may hold as sslbind forwards it: visible ASCII but '#' (a fragment is never sent).
bool is_target_byte(unsigned char c);

// The elements of a comma-separated list (RFC 9110, 5.6.1), without the whitespace around them; empty ones dropped.
std::vector<std::string_view> list_elements(std::string_view value);
// The same, each given to `each` in order without a list made (a request's path reads Connection and Content-Length
// every time); `each` returns false to stop. False when it stopped.
template <typename Each>
bool for_each_list_element(std::string_view value, Each&& each) {
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    std::string_view element = value.substr(start, comma - start);
    while (!element.empty() && (element.front() == ' ' || element.front() == '\t')) element.remove_prefix(1);
    while (!element.empty() && (element.back() == ' ' || element.back() == '\t')) element.remove_suffix(1);
    if (!element.empty() && !each(element)) return false;
    start = comma + 1;
  }
  return true;
}

// Whether `name` reads as `lower` (lower case, with '-') once in lower case with '_' read as '-', as a CGI-style
// server (IIS server variables, PHP-FPM, WSGI) reads a field's name; or starts so.
bool cgi_equals(std::string_view name, std::string_view lower);
bool cgi_starts_with(std::string_view name, std::string_view lower);

// uri-host [ ":" port ] (RFC 9110, 7.2; RFC 3986, 3.2.2): an IP-literal (IPv6 only), an IPv4 address or a reg-name
// of unreserved, sub-delims and %HH; a port of at most five digits, at most 65535. No userinfo.
struct Authority {
  std::string host;  // as sent (brackets kept for IPv6), without the port
  std::optional<unsigned> port;
};
std::optional<Authority> parse_authority(std::string_view text);

}  // namespace sslbind::serve::http
