#include "core/guid.hpp"

#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::string_view kShape = "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}";

}  // namespace

Result<Guid> Guid::parse(std::string_view input) {
  const std::string rule = "; an appid is a GUID like " + std::string(kShape) + ", braces optional";
  std::string_view body = input;
  const bool open = !body.empty() && body.front() == '{';
  const bool close = !body.empty() && body.back() == '}';
  if (open != close || (open && body.size() < 2)) {
    return invalid("appid " + text::quote(input) + " has an unmatched brace" + rule);
  }
  if (open) body = body.substr(1, body.size() - 2);
  if (body.size() != 36) {
    return invalid("appid " + text::quote(input) + " has " + std::to_string(body.size()) +
                   " characters inside the braces, not 36" + rule);
  }
  Guid g;
  std::size_t n = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    const bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_here) {
      if (c != '-')
        return invalid("appid " + text::quote(input) + " needs '-' at position " +
                       std::to_string(i + 1 + (open ? 1 : 0)) + rule);
      continue;
    }
    if (!text::is_hex_digit(c)) {
      return invalid("appid " + text::quote(input) + " contains " + text::quote(std::string_view(&c, 1)) +
                     ", which is not a hex digit" + rule);
    }
    if (n % 2 == 0)
      g.canonical_[n / 2] = static_cast<std::uint8_t>(text::hex_value(c) << 4);
    else
      g.canonical_[n / 2] = static_cast<std::uint8_t>(g.canonical_[n / 2] | text::hex_value(c));
    ++n;
  }
  return g;
}

std::string Guid::str() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "{";
  for (std::size_t i = 0; i < canonical_.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kDigits[canonical_[i] >> 4]);
    out.push_back(kDigits[canonical_[i] & 0xF]);
  }
  return out + "}";
}

// Swapping Data1 (4 bytes), Data2 and Data3 (2 bytes each) is its own inverse.
static std::array<std::uint8_t, 16> swap_struct_order(const std::array<std::uint8_t, 16>& in) {
  return {in[3], in[2], in[1],  in[0],  in[5],  in[4],  in[7],  in[6],
          in[8], in[9], in[10], in[11], in[12], in[13], in[14], in[15]};
}

std::array<std::uint8_t, 16> Guid::windows_bytes() const { return swap_struct_order(canonical_); }

Guid Guid::from_windows_bytes(const std::array<std::uint8_t, 16>& bytes) {
  Guid g;
  g.canonical_ = swap_struct_order(bytes);
  return g;
}

}  // namespace sslbind
