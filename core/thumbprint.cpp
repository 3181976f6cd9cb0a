#include "core/thumbprint.hpp"

#include "core/text.hpp"

namespace sslbind {
Result<Thumbprint> Thumbprint::parse(std::string_view text) {
  const auto shown = [&] { return text::quote(text); };
  std::string digits;
  digits.reserve(kBytes * 2);
  std::size_t position = 0;  // 1-based character position for messages
  for (std::size_t i = 0; i < text.size();) {
    ++position;
    const auto cp = text::decode_utf8(text, i);
    if (!cp) {
      return invalid("certhash " + shown() + " is not valid UTF-8 at byte " + std::to_string(i + 1) +
                     "; a thumbprint is 40 hex digits");
    }
    if (cp->value >= 0x80 || (cp->value < 0x20 && cp->value != '\t')) {
      std::string what = text::describe_code_point(cp->value);
      std::string hint = cp->value == 0x200E
                             ? " (the Windows certificate dialog adds this invisible mark when you copy the "
                               "thumbprint); retype the value or delete that character"
                             : "; a thumbprint is 40 hex digits";
      return invalid("certhash " + shown() + " contains the invisible or non-ASCII character " + what +
                     " at position " + std::to_string(position) + hint);
    }
    const char c = text[i];
    i += cp->length;
    if (c == ' ' || c == ':' || c == '\t') continue;
    if (!text::is_hex_digit(c)) {
      return invalid("certhash " + shown() + " contains '" + std::string(1, c) + "' at position " +
                     std::to_string(position) + "; a thumbprint has only the hex digits 0-9 and a-f");
    }
    digits.push_back(c);
  }
  if (digits.size() != kBytes * 2) {
    return invalid("certhash " + shown() + " has " + std::to_string(digits.size()) +
                   " hex digits; a SHA-1 thumbprint has exactly 40");
  }
  std::array<std::uint8_t, kBytes> bytes{};
  for (std::size_t b = 0; b < kBytes; ++b) {
    bytes[b] = static_cast<std::uint8_t>(text::hex_value(digits[2 * b]) << 4 | text::hex_value(digits[2 * b + 1]));
  }
  return Thumbprint(bytes);
}

std::string Thumbprint::hex() const { return text::to_hex(bytes_.data(), bytes_.size()); }

}  // namespace sslbind
