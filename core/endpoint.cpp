#include "core/endpoint.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "core/text.hpp"

namespace sslbind {

Result<std::uint16_t> parse_port(std::string_view text, std::string_view what, std::string_view whole) {
  const auto where = [&] { return std::string(what) + " " + text::quote(whole); };
  if (text.empty()) return invalid(where() + " has no port; a port is a number from 1 to 65535");
  const auto v = text::parse_decimal(text, 65535);
  if (!v) {
    const bool digits = text.find_first_not_of("0123456789") == std::string_view::npos;
    return invalid(where() + " has the port " + text::quote(text) +
                   (digits ? ", which is above 65535" : ", which is not a decimal number") +
                   "; a port is a number from 1 to 65535");
  }
  if (*v == 0) return invalid(where() + " has port 0; a port is a number from 1 to 65535");
  return static_cast<std::uint16_t>(*v);
}

Result<IpAddress> IpAddress::parse(std::string_view text, std::string_view what) {
  const auto where = [&] { return std::string(what) + " address " + text::quote(text); };
  IpAddress a;
  if (text.find(':') != std::string_view::npos) {
    if (text.find('%') != std::string_view::npos) {
      return invalid(where() + " has a zone index (%...); bindings apply to an address on every interface");
    }
    const std::string copy(text);
    in6_addr raw{};
    if (text.size() > 45 || inet_pton(AF_INET6, copy.c_str(), &raw) != 1) {
      return invalid(where() + " is not a valid IPv6 address");
    }
    a.family_ = Family::V6;
    std::memcpy(a.bytes_.data(), &raw, 16);
    return a;
  }
  // IPv4 is parsed by hand: inet_pton accepts no leading zeros either, but we want to say which part is wrong.
  std::size_t part = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    const std::string_view piece = text.substr(start, dot == std::string_view::npos ? text.npos : dot - start);
    if (part == 4) return invalid(where() + " has more than four parts; an IPv4 address is like 10.0.0.5");
    const bool all_digits = !piece.empty() && piece.find_first_not_of("0123456789") == std::string_view::npos;
    if (!all_digits) {
      const bool looks_like_name =
          text.find_first_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") != std::string_view::npos;
      if (looks_like_name) {
        return invalid(where() + " is not an IP address; for a host name use hostnameport=<name:port>");
      }
      return invalid(where() + " is not an IPv4 address like 10.0.0.5 (IPv6 goes in brackets: [::1]:443)");
    }
    if (piece.size() > 1 && piece[0] == '0') {
      return invalid(where() + " has the part " + text::quote(piece) +
                     " with a leading zero, which some systems read as octal; write it without");
    }
    const auto v = text::parse_decimal(piece, 255);
    if (!v) return invalid(where() + " has the part " + text::quote(piece) + ", which is above 255");
    a.bytes_[part++] = static_cast<std::uint8_t>(*v);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (part != 4) return invalid(where() + " has " + std::to_string(part) + " parts; an IPv4 address has four");
  a.family_ = Family::V4;
  return a;
}

bool IpAddress::is_wildcard() const {
  const std::size_t n = family_ == Family::V4 ? 4 : 16;
  for (std::size_t i = 0; i < n; ++i) {
    if (bytes_[i] != 0) return false;
  }
  return true;
}

std::string IpAddress::str() const {
  char buf[INET6_ADDRSTRLEN];
  const int af = family_ == Family::V4 ? AF_INET : AF_INET6;
  if (inet_ntop(af, bytes_.data(), buf, sizeof buf) == nullptr) return {};
  return buf;
}

Result<IpPort> IpPort::parse(std::string_view text) {
  const auto whole = [&] { return "ipport " + text::quote(text); };
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return invalid(whole() + " has '[' without ']'; write IPv6 as [::1]:443");
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ':') return invalid(whole() + " has no :port after the ']'; write [::1]:443");
    port = rest.substr(1);
    if (host.find(':') == std::string_view::npos) {
      return invalid(whole() + " has an IPv4 address in brackets; brackets are for IPv6 only");
    }
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return invalid(whole() + " has no port; write <ipaddr:port>, e.g. 0.0.0.0:443");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return invalid(whole() + " looks like IPv6 without brackets; write it as [address]:port, e.g. [::]:443");
    }
  }
  if (host.empty()) return invalid(whole() + " has no address; use 0.0.0.0 for every IPv4 address or [::] for IPv6");
  auto address = IpAddress::parse(host, "ipport");
  if (!address) return address.error();
  auto p = parse_port(port, "ipport", text);
  if (!p) return p.error();
  return IpPort{*address, *p};
}

std::string IpPort::str() const {
  if (address.family() == IpAddress::Family::V6) return "[" + address.str() + "]:" + std::to_string(port);
  return address.str() + ":" + std::to_string(port);
}

IpAddress IpAddress::v4(const std::array<std::uint8_t, 4>& bytes) {
  IpAddress a;
  a.family_ = Family::V4;
  std::copy(bytes.begin(), bytes.end(), a.bytes_.begin());
  return a;
}

IpAddress IpAddress::v6(const std::array<std::uint8_t, 16>& bytes) {
  IpAddress a;
  a.family_ = Family::V6;
  a.bytes_ = bytes;
  return a;
}

}  // namespace sslbind
