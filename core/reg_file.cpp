#include "core/reg_file.hpp"

#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::string_view kVersion5 = "Windows Registry Editor Version 5.00";
constexpr std::string_view kVersion4 = "REGEDIT4";

Error at_line(std::size_t number, const std::string& why) {
  return invalid("line " + std::to_string(number) + ": " + why);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// A quoted name or string from s[0] == '"': \\ and \" are its only escapes, as regedit writes them. Advances `at`
// past the closing quote.
Result<std::string> quoted(std::string_view s, std::size_t& at, std::size_t number) {
  std::string out;
  for (at = 1; at < s.size(); ++at) {
    if (s[at] == '"') {
      ++at;
      return out;
    }
    if (s[at] == '\\') {
      if (at + 1 == s.size() || (s[at + 1] != '\\' && s[at + 1] != '"')) {
        return at_line(number, "a backslash in a quoted text must be followed by \\ or \"");
      }
      ++at;
    }
    out += s[at];
  }
  return at_line(number, "a quoted text is not closed");
}

// The strings of REG_SZ, REG_EXPAND_SZ or REG_MULTI_SZ data: UTF-16LE in version 5 files, single bytes in REGEDIT4
// files (taken only when they are ASCII, since their code page is not written down). Each NUL ends a string.
Result<std::vector<std::string>> strings_of(const std::vector<std::uint8_t>& bytes, bool version4, std::size_t number) {
  std::vector<std::string> out(1);
  if (version4) {
    for (std::uint8_t b : bytes) {
      if (b >= 0x80) {
        return at_line(number,
                       "a REGEDIT4 file holds strings in a code page it does not name; export the key "
                       "again as Windows Registry Editor Version 5.00 (regedit's default)");
      }
      if (b == 0)
        out.emplace_back();
      else
        out.back() += static_cast<char>(b);
    }
    return out;
  }
  if (bytes.size() % 2 != 0) return at_line(number, "UTF-16 string data has an odd number of bytes");
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    std::uint32_t unit = bytes[i] | (static_cast<std::uint32_t>(bytes[i + 1]) << 8);
    if (unit >= 0xDC00 && unit < 0xE000) return at_line(number, "UTF-16 string data has a lone low surrogate");
    if (unit >= 0xD800 && unit < 0xDC00) {
      const std::uint32_t low =
          i + 3 < bytes.size() ? bytes[i + 2] | (static_cast<std::uint32_t>(bytes[i + 3]) << 8) : 0;
      if (low < 0xDC00 || low >= 0xE000) return at_line(number, "UTF-16 string data has a lone high surrogate");
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
      i += 2;
    }
    if (unit == 0)
      out.emplace_back();
    else
      text::append_utf8(out.back(), unit);
  }
  return out;
}

// "hex:01,02" or "hex(7):41,00,00,00": the bytes after the colon.
Result<std::vector<std::uint8_t>> hex_bytes(std::string_view list, std::size_t number) {
  std::vector<std::uint8_t> out;
  list = trim(list);
  if (list.empty()) return out;
  for (std::size_t at = 0;;) {
    const std::size_t comma = list.find(',', at);
    const std::string_view item = trim(list.substr(at, comma == std::string_view::npos ? comma : comma - at));
    if (item.size() != 2 || !text::is_hex_digit(item[0]) || !text::is_hex_digit(item[1])) {
      return at_line(number, text::quote(item) + " is not a byte of hex data (two hex digits between commas)");
    }
    out.push_back(static_cast<std::uint8_t>(text::hex_value(item[0]) << 4 | text::hex_value(item[1])));
    if (comma == std::string_view::npos) return out;
    at = comma + 1;
  }
}

Result<std::uint32_t> hex_number(std::string_view digits, std::size_t max_digits, std::string_view what,
                                 std::size_t number) {
  if (digits.empty() || digits.size() > max_digits) {
    return at_line(number, std::string(what) + " " + text::quote(digits) + " is not 1 to " +
                               std::to_string(max_digits) + " hex digits");
  }
  std::uint32_t v = 0;
  for (char c : digits) {
    if (!text::is_hex_digit(c)) {
      return at_line(number, std::string(what) + " " + text::quote(digits) + " is not a hex number");
    }
    v = v << 4 | text::hex_value(c);
  }
  return v;
}

// The data after "=": a quoted string, dword:, hex: or hex(N):.
Status read_data(std::string_view data, bool version4, RegValue& value) {
  const std::size_t number = value.line;
  if (data == "-")
    return at_line(number, "the file deletes the value " + text::quote(value.name) +
                               "; import reg reads exports, which delete nothing");
  if (data.starts_with('"')) {
    std::size_t end = 0;
    auto s = quoted(data, end, number);
    if (!s) return s.error();
    if (!trim(data.substr(end)).empty()) return at_line(number, "text follows the closing quote of the value");
    value.type = static_cast<std::uint32_t>(RegType::Sz);
    value.text = std::move(*s);
    return Ok{};
  }
  if (data.starts_with("dword:")) {
    auto v = hex_number(trim(data.substr(6)), 8, "dword", number);
    if (!v) return v.error();
    value.type = static_cast<std::uint32_t>(RegType::Dword);
    value.dword = *v;
    return Ok{};
  }
  std::size_t colon = 0;
  if (data.starts_with("hex:")) {
    value.type = static_cast<std::uint32_t>(RegType::Binary);
    colon = 3;
  } else if (data.starts_with("hex(")) {
    const std::size_t close = data.find("):");
    if (close == std::string_view::npos) return at_line(number, "hex( is not closed by ):");
    auto type = hex_number(data.substr(4, close - 4), 8, "the type of hex(N)", number);
    if (!type) return type.error();
    value.type = *type;
    colon = close + 1;
  } else {
    return at_line(number, "the value of " + text::quote(value.name) +
                               " is not \"text\", dword:, hex: or hex(N): as regedit writes them");
  }
  auto bytes = hex_bytes(data.substr(colon + 1), number);
  if (!bytes) return bytes.error();
  value.bytes = std::move(*bytes);
  switch (static_cast<RegType>(value.type)) {
    case RegType::Sz:
    case RegType::ExpandSz:
    case RegType::MultiSz: {
      auto strings = strings_of(value.bytes, version4, number);
      if (!strings) return strings.error();
      if (value.type == static_cast<std::uint32_t>(RegType::MultiSz)) {
        // Each string ends with a NUL and the list with one more: the empty strings they leave are not strings.
        while (!strings->empty() && strings->back().empty()) strings->pop_back();
        value.strings = std::move(*strings);
      } else {
        value.text = strings->front();
      }
      return Ok{};
    }
    case RegType::Dword:
      if (value.bytes.size() != 4) return at_line(number, "hex(4) data (REG_DWORD) must be 4 bytes");
      value.dword = 0;
      for (int i = 3; i >= 0; --i) value.dword = value.dword << 8 | value.bytes[static_cast<std::size_t>(i)];
      return Ok{};
    default: return Ok{};
  }
}

}  // namespace

Result<std::vector<RegKey>> read_reg_file(const std::vector<std::string>& lines) {
  std::vector<RegKey> keys;
  bool header = false;
  bool version4 = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t number = i + 1;
    std::string logical(trim(lines[i]));
    if (logical.empty() || logical.starts_with(';')) continue;
    if (!header) {
      if (logical != kVersion5 && logical != kVersion4) {
        return at_line(number, "a .reg file starts with \"" + std::string(kVersion5) + "\" or \"" +
                                   std::string(kVersion4) + "\"; found " + text::quote(logical));
      }
      header = true;
      version4 = logical == kVersion4;
      continue;
    }
    if (logical.starts_with('[')) {
      if (!logical.ends_with(']')) return at_line(number, "a key's line must end with ]");
      if (logical.starts_with("[-")) {
        return at_line(number, "the file deletes the key " + text::quote(logical.substr(2, logical.size() - 3)) +
                                   "; import reg reads exports, which delete nothing");
      }
      keys.push_back(RegKey{number, logical.substr(1, logical.size() - 2), {}});
      continue;
    }
    if (keys.empty()) return at_line(number, "a value comes before any [key]");
    // Hex data goes on over lines that end with a backslash.
    while (logical.ends_with('\\') && logical.find("=hex") != std::string::npos && i + 1 < lines.size()) {
      logical.pop_back();
      logical += trim(lines[++i]);
    }
    RegValue value;
    value.line = number;
    std::size_t end = 1;
    if (logical.starts_with('@')) {
      value.name.clear();
    } else if (logical.starts_with('"')) {
      auto name = quoted(logical, end, number);
      if (!name) return name.error();
      value.name = std::move(*name);
    } else {
      return at_line(number, text::quote(logical) + " is neither a [key], a \"name\"=value line nor a ; comment");
    }
    const std::string_view rest = trim(std::string_view(logical).substr(end));
    if (!rest.starts_with('=')) return at_line(number, "the value's name is not followed by =");
    if (auto s = read_data(trim(rest.substr(1)), version4, value); !s) return s.error();
    keys.back().values.push_back(std::move(value));
  }
  if (!header) return invalid("the file is empty: a .reg file starts with \"" + std::string(kVersion5) + "\"");
  return keys;
}

}  // namespace sslbind
