#pragma once
// A certificate thumbprint: the 20-byte SHA-1 hash of the DER certificate, as Windows shows it.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sslbind {

class Thumbprint {
 public:
  static constexpr std::size_t kBytes = 20;

  // Accepts 40 hex digits in either case. Spaces and colons between digits are tolerated (the certificate dialog
  // shows pairs separated by spaces, openssl prints them separated by colons). Anything else is refused, and an
  // invisible character such as the U+200E mark that the Windows dialog prepends is named.
  static Result<Thumbprint> parse(std::string_view text);
  static Thumbprint from_bytes(const std::array<std::uint8_t, kBytes>& bytes) { return Thumbprint(bytes); }

  const std::array<std::uint8_t, kBytes>& bytes() const { return bytes_; }
  std::string hex() const;  // 40 lower-case hex digits, as netsh prints it

  friend bool operator==(const Thumbprint&, const Thumbprint&) = default;
  friend auto operator<=>(const Thumbprint&, const Thumbprint&) = default;

 private:
  explicit Thumbprint(const std::array<std::uint8_t, kBytes>& b) : bytes_(b) {}
  std::array<std::uint8_t, kBytes> bytes_{};
};

}  // namespace sslbind
