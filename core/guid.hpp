#pragma once
// An application id: a GUID, written {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} in lower case as netsh prints it.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sslbind {

class Guid {
 public:
  // Accepts 8-4-4-4-12 hex digits in either case, with both braces or none.
  static Result<Guid> parse(std::string_view text);

  std::string str() const;  // braced, lower case

  // The 16 bytes as Windows stores a GUID struct in REG_BINARY: Data1, Data2, Data3 little-endian, Data4 as is.
  std::array<std::uint8_t, 16> windows_bytes() const;
  static Guid from_windows_bytes(const std::array<std::uint8_t, 16>& bytes);

  friend bool operator==(const Guid&, const Guid&) = default;

 private:
  std::array<std::uint8_t, 16> canonical_{};  // in textual order
};

}  // namespace sslbind
