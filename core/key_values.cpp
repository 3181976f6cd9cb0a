#include "core/key_values.hpp"

#include "core/text.hpp"

namespace sslbind {

Result<KeyValues> KeyValues::parse(std::span<const std::string> words, std::span<const std::string_view> names,
                                   std::string_view command, std::string_view example) {
  KeyValues out;
  for (const std::string& word : words) {
    const std::size_t eq = word.find('=');
    if (eq == std::string::npos) {
      return invalid(text::quote(word) + " is not of the form key=value, e.g. " + std::string(example));
    }
    const std::string_view name = std::string_view(word).substr(0, eq);
    const std::string_view* known = nullptr;
    for (const auto& n : names) {
      if (text::iequals(n, name)) known = &n;
    }
    if (known == nullptr) {
      return invalid(text::quote(name) + " is not a parameter of " + std::string(command) + "; see 'sslbind " +
                     std::string(command) + " help'");
    }
    if (!out.values_.emplace(*known, word.substr(eq + 1)).second) {
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
