#pragma once
// The typed values of one registry key as the file holds them, and the checked reading of them.
#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/text.hpp"
#include "store/registry_layout.hpp"

namespace sslbind::store {

using layout::unreadable;
using nlohmann::json;

// One value of a registry key as the file holds it: {"type": ..., "data": ...}. `well_formed` is false when the
// value has another shape; the reader reports it only if the value is one it needs.
struct RawValue {
  std::string name;
  std::string type;
  json data;
  bool has_type = false;
  bool has_data = false;
  bool well_formed = true;
};
using RawValues = std::vector<RawValue>;

inline RawValues raw_values(const json& key) {
  RawValues out;
  for (const auto& [name, v] : key.items()) {
    RawValue raw{name, "", nullptr, false, false, v.is_object() && v.size() == 2};
    if (raw.well_formed && v.contains("type") && v["type"].is_string() && v.contains("data")) {
      raw.type = v["type"].get<std::string>();
      raw.data = v["data"];
      raw.has_type = raw.has_data = true;
    }
    out.push_back(std::move(raw));
  }
  return out;
}

// Reads the typed values of one key.
class ValueReader {
 public:
  // `where` names the key in errors; it is built only when there is one.
  ValueReader(const RawValues& values, std::function<std::string()> where)
      : values_(values), where_(std::move(where)) {}

  // Returns the value's data if present and of the expected type, nullptr if absent.
  Result<const json*> get(const char* name, const char* type) const {
    const RawValue* v = nullptr;
    for (const RawValue& r : values_) {
      if (r.name == name) v = &r;
    }
    if (v == nullptr) return static_cast<const json*>(nullptr);
    if (!v->well_formed || !v->has_type || !v->has_data) {
      return unreadable(where_() + "\\" + name, "a value must be {\"type\": ..., \"data\": ...}");
    }
    if (v->type != type) {
      return unreadable(where_() + "\\" + name,
                        "expected type " + std::string(type) + ", found " + json(v->type).dump());
    }
    return &v->data;
  }

  Result<std::optional<std::string>> string(const char* name) const {
    auto v = get(name, "REG_SZ");
    if (!v) return v.error();
    if (*v == nullptr) return std::optional<std::string>();
    if (!(*v)->is_string()) return unreadable(where_() + "\\" + name, "REG_SZ data must be a string");
    return std::optional<std::string>((*v)->get<std::string>());
  }

  Result<std::uint32_t> dword(const char* name, std::uint32_t absent = 0) const {
    auto v = get(name, "REG_DWORD");
    if (!v) return v.error();
    if (*v == nullptr) return absent;
    if (!(*v)->is_number_unsigned() || (*v)->get<std::uint64_t>() > 0xFFFFFFFFu) {
      return unreadable(where_() + "\\" + name, "REG_DWORD data must be a number from 0 to 4294967295");
    }
    return static_cast<std::uint32_t>((*v)->get<std::uint64_t>());
  }

  // REG_MULTI_SZ, as an array of strings.
  Result<std::optional<std::vector<std::string>>> multi_string(const char* name) const {
    auto v = get(name, "REG_MULTI_SZ");
    if (!v) return v.error();
    if (*v == nullptr) return std::optional<std::vector<std::string>>();
    const bool strings =
        (*v)->is_array() && std::all_of((*v)->begin(), (*v)->end(), [](const json& e) { return e.is_string(); });
    if (!strings) return unreadable(where_() + "\\" + name, "REG_MULTI_SZ data must be an array of strings");
    return std::optional<std::vector<std::string>>((*v)->get<std::vector<std::string>>());
  }

  // Fixed-length REG_BINARY, as hex digits.
  template <std::size_t N>
  Result<std::optional<std::array<std::uint8_t, N>>> binary(const char* name) const {
    auto v = get(name, "REG_BINARY");
    if (!v) return v.error();
    if (*v == nullptr) return std::optional<std::array<std::uint8_t, N>>();
    auto bad = [&] {
      return unreadable(where_() + "\\" + name, "REG_BINARY data must be " + std::to_string(N) + " bytes as " +
                                                    std::to_string(2 * N) + " hex digits");
    };
    if (!(*v)->is_string()) return bad();
    const auto& hex = (*v)->get_ref<const std::string&>();
    if (hex.size() != 2 * N) return bad();
    std::array<std::uint8_t, N> out{};
    for (std::size_t i = 0; i < 2 * N; ++i) {
      const char c = hex[i];
      if (!text::is_hex_digit(c)) return bad();
      const std::uint8_t d = text::hex_value(c);
      out[i / 2] = static_cast<std::uint8_t>(out[i / 2] | (i % 2 == 0 ? d << 4 : d));
    }
    return std::optional<std::array<std::uint8_t, N>>(out);
  }

  Status only_known(std::initializer_list<const char*> names) const {
    return only_known(std::span<const char* const>(names.begin(), names.size()));
  }
  Status only_known(std::span<const char* const> names) const {
    for (const RawValue& r : values_) {
      bool known = false;
      for (const char* n : names) known = known || r.name == n;
      if (!known) return unreadable(where_(), "unknown value " + text::quote(r.name));
    }
    return Ok{};
  }

 private:
  const RawValues& values_;
  std::function<std::string()> where_;
};

}  // namespace sslbind::store
