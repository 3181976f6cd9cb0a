#include "core/key_values.hpp"

#include "core/text.hpp"

namespace sslbind {

Status check_utf8(std::string_view value, std::string_view what) {
  const auto bad = text::first_invalid_utf8(value);
  if (!bad) return Ok{};
  const std::string byte = text::hex_literal(static_cast<unsigned char>(value[*bad]), 2);
  return invalid(std::string(what) + " is not valid UTF-8 (byte " + byte + " at offset " + std::to_string(*bad) +
                 "); sslbind keeps only UTF-8 text in the registry and its output");
}

Result<KeyValueWord> split_argument(const std::string& word, std::string_view example) {
  const std::size_t eq = word.find('=');
  if (eq == std::string::npos) {
    return invalid(text::quote(word) + " is not of the form key=value, e.g. " + std::string(example));
  }
  if (auto s = check_utf8(word, text::quote(word)); !s) return s.error();
  return KeyValueWord{std::string_view(word).substr(0, eq), std::string_view(word).substr(eq + 1)};
}

Error unknown_parameter(std::string_view name, std::string_view command) {
  return invalid(text::quote(name) + " is not a parameter of " + std::string(command) + "; see 'sslbind " +
                 std::string(command) + " help'");
}

Result<KeyValues> KeyValues::parse(std::span<const std::string> words, std::span<const std::string_view> names,
                                   std::string_view command, std::string_view example) {
  KeyValues out;
  for (const std::string& word : words) {
    auto split = split_argument(word, example);
    if (!split) return split.error();
    const std::string_view* known = nullptr;
    for (const auto& n : names) {
      if (text::iequals(n, split->name)) known = &n;
    }
    if (known == nullptr) return unknown_parameter(split->name, command);
    if (!out.values_.emplace(*known, std::string(split->value)).second) {
      return invalid(std::string(*known) + "= is given twice");
    }
  }
  return out;
}

std::optional<std::string> KeyValues::get(std::string_view name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

Status check_path(std::string_view value, std::string_view what) {
  if (value.empty()) return invalid(std::string(what) + " is empty; give a path");
  if (value.find('\0') != std::string_view::npos) return invalid(std::string(what) + " contains a NUL byte");
  return Ok{};
}

}  // namespace sslbind
