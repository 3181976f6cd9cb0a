#pragma once
// Ports and IP endpoints as netsh writes them: 10.0.0.5:443, 0.0.0.0:443, [::]:443, [fe80::1]:443.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sslbind {

// Port 1-65535, decimal. `what` names the parameter in the error ("ipport", "ccs", ...).
Result<std::uint16_t> parse_port(std::string_view text, std::string_view what, std::string_view whole);

class IpAddress {
 public:
  enum class Family { V4, V6 };

  // IPv4 dotted quad (four decimal parts 0-255, no leading zeros, which some parsers read as octal) or an IPv6
  // address without brackets and without a zone.
  static Result<IpAddress> parse(std::string_view text, std::string_view what);
  // From the bytes of a socket address, in network order (IPv4: 4 bytes; IPv6: 16).
  static IpAddress v4(const std::array<std::uint8_t, 4>& bytes);
  static IpAddress v6(const std::array<std::uint8_t, 16>& bytes);

  Family family() const { return family_; }
  bool is_wildcard() const;  // 0.0.0.0 or ::
  std::string str() const;   // canonical text (RFC 5952 for IPv6), no brackets
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }  // IPv4 uses the first 4

  friend bool operator==(const IpAddress&, const IpAddress&) = default;

 private:
  Family family_ = Family::V4;
  std::array<std::uint8_t, 16> bytes_{};
};

struct IpPort {
  IpAddress address;
  std::uint16_t port = 0;

  // "a.b.c.d:port" or "[v6]:port".
  static Result<IpPort> parse(std::string_view text);
  std::string str() const;  // canonical: IPv6 in brackets

  friend bool operator==(const IpPort&, const IpPort&) = default;
};

}  // namespace sslbind
