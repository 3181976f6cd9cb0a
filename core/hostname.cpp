#include "core/hostname.hpp"

#include "core/endpoint.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

bool is_ldh(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; }

// `where` is called only on failure: building the message costs more than checking a valid label.
template <class Where>
Status validate_label(std::string_view label, const Where& where) {
  if (label.empty()) return invalid(where() + " has an empty label (two dots in a row or a leading dot)");
  if (label.size() > 63) {
    return invalid(where() + " has the label " + text::quote(label.substr(0, 20)) + "... of " +
                   std::to_string(label.size()) + " bytes; a label has at most 63");
  }
  if (label.front() == '-' || label.back() == '-') {
    return invalid(where() + " has the label " + text::quote(label) + ", which starts or ends with '-'");
  }
  for (std::size_t i = 0; i < label.size();) {
    const auto cp = text::decode_utf8(label, i);
    if (!cp) return invalid(where() + " is not valid UTF-8");
    if (cp->value >= 0x80) {
      if (text::is_invisible(cp->value)) {
        return invalid(where() + " contains the invisible character " + text::describe_code_point(cp->value));
      }
    } else if (!is_ldh(label[i])) {
      const char c = label[i];
      std::string shown = c == ' ' ? "a space" : text::quote(std::string_view(&c, 1));
      if (text::is_invisible(cp->value)) shown = "the control character " + text::describe_code_point(cp->value);
      return invalid(where() + " contains " + shown + "; a host name has only letters, digits, '-' and '.'");
    }
    i += cp->length;
  }
  return Ok{};
}

}  // namespace

std::string_view without_root_dot(std::string_view host) {
  if (host.size() > 1 && host.back() == '.' && host[host.size() - 2] != '.') host.remove_suffix(1);
  return host;
}

Status validate_hostname(std::string_view host, std::string_view what, bool allow_wildcard) {
  const auto where = [&] { return std::string(what) + " host name " + text::quote(host); };
  if (host.empty())
    return invalid(std::string(what) + " has no host name; write <name:port>, e.g. www.contoso.com:443");
  if (host.size() > 253) {
    return invalid(std::string(what) + " host name of " + std::to_string(host.size()) +
                   " bytes is too long; a host name has at most 253");
  }
  if (host.front() == '[' || host.find(':') != std::string_view::npos) {
    return invalid(where() + " is an IPv6 address; use ipport=[address]:port for an IP binding");
  }
  if (host.back() == '.') return invalid(where() + " ends with a dot; write the name without the trailing dot");
  if (host == "*") {
    return invalid(where() +
                   " is only a wildcard; for a Central Certificate Store binding of every name use ccs=<port>");
  }
  // Only a name of digits and dots can be an IPv4 address; trying others would build an error message each time.
  if (host.find_first_not_of("0123456789.") == std::string_view::npos && IpAddress::parse(host, what)) {
    return invalid(where() + " is an IP address; use ipport=<ipaddr:port> for an IP binding");
  }
  std::string_view rest = host;
  if (rest.starts_with("*.")) {
    if (!allow_wildcard) return invalid(where() + " is a wildcard, which " + std::string(what) + " does not take");
    rest.remove_prefix(2);
  }
  while (true) {
    const std::size_t dot = rest.find('.');
    const std::string_view label = rest.substr(0, dot);
    if (label.find('*') != std::string_view::npos) {
      return invalid(where() +
                     " has '*' inside; a wildcard is allowed only as the whole first label, as in *.contoso.com");
    }
    if (auto s = validate_label(label, where); !s) return s;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  return Ok{};
}

Result<HostPort> HostPort::parse(std::string_view text, std::string_view what) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return invalid(std::string(what) + " " + text::quote(text) +
                   " has no port; write <name:port>, e.g. www.contoso.com:443");
  }
  const std::string_view host = text.substr(0, colon);
  if (auto s = validate_hostname(host, what, /*allow_wildcard=*/true); !s) return s.error();
  auto port = parse_port(text.substr(colon + 1), what, text);
  if (!port) return port.error();
  return HostPort{std::string(host), *port};
}

std::string HostPort::identity() const { return text::to_lower(host) + ":" + std::to_string(port); }

}  // namespace sslbind
