#pragma once
// Small text helpers shared by the validators.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sslbind::text {

std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool is_hex_digit(char c);
// The value of a hex digit; c must satisfy is_hex_digit.
std::uint8_t hex_value(char c);
// Lower-case hex of the bytes.
std::string to_hex(const std::uint8_t* data, std::size_t size);
// A number as messages name bytes, code units and flag words: "0xE9" (digits 2), "0xD800" (4), "0x00008000" (8).
std::string hex_literal(std::uint32_t value, int digits);
// The words joined by `separator` (a single space unless given).
std::string join(std::span<const std::string> words, std::string_view separator = " ");

// Parses a decimal unsigned integer (digits only, no sign, no spaces) that is at most max.
std::optional<std::uint64_t> parse_decimal(std::string_view s, std::uint64_t max);

// Decodes one UTF-8 sequence at s[pos]; returns the code point and its byte length, or nullopt if malformed.
struct CodePoint {
  char32_t value;
  std::size_t length;
};
std::optional<CodePoint> decode_utf8(std::string_view s, std::size_t pos);
// Appends the UTF-8 form of a code point (at most U+10FFFF, not a surrogate).
void append_utf8(std::string& out, std::uint32_t cp);

// "U+200E LEFT-TO-RIGHT MARK" for the invisible characters people paste by accident, else "U+XXXX".
std::string describe_code_point(char32_t cp);

// True for code points that render as nothing or as a blank (format, control, zero-width, no-break space).
bool is_invisible(char32_t cp);

// The offset of the first byte that does not start a valid UTF-8 sequence, or nullopt when `s` is valid UTF-8.
std::optional<std::size_t> first_invalid_utf8(std::string_view s);

// Quotes a user value for an error line, escaping what would not print.
std::string quote(std::string_view value);

}  // namespace sslbind::text
