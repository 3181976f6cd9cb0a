// read_registry: the registry file's text into bindings and the rest of the document, in one pass.
#include "store/farm_codec.hpp"
#include "store/registry_codec.hpp"

#include <algorithm>

#include "store/registry_decode.hpp"

namespace sslbind::store {

using namespace layout;

namespace {

// Reads the file in one pass (a SAX parser): binding subkeys are decoded as they close and never become a JSON
// tree, so that a registry of 100k bindings loads fast and small; every other key is built into `rest`.
class RegistryReader {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  explicit RegistryReader(json& root) : root_(root) {}

  bool null() { return scalar(nullptr); }
  bool boolean(bool v) { return scalar(v); }
  bool number_integer(number_integer_t v) { return scalar(v); }
  bool number_unsigned(number_unsigned_t v) {
    if (stack_.size() == 1 && key_ == "schemaVersion")
      version_ok_ = v == static_cast<number_unsigned_t>(kSchemaVersion);
    return scalar(v);
  }
  bool number_float(number_float_t v, const string_t&) { return scalar(v); }
  bool string(string_t& v) { return scalar(std::move(v)); }
  bool binary(binary_t& v) { return scalar(json::binary(std::move(v))); }

  bool start_object(std::size_t) {
    if (level_ > 0) return enter_binding_container(true);
    if (entering_binding()) {
      level_ = 1;
      values_.clear();
      return true;
    }
    json& created = place(json::object());
    path_.push_back(stack_.empty() ? "" : key_);
    stack_.push_back(&created);
    return true;
  }
  bool key(string_t& k) {
    if (level_ == 1 && skip_ == 0)
      values_.push_back(RawValue{k, "", nullptr, false, false, true});
    else if (level_ == 2 && skip_ == 0)
      field_ = k;
    else if (level_ == 0)
      key_ = std::move(k);
    return true;
  }
  bool end_object() {
    if (level_ > 0) return leave_binding_container();
    stack_.pop_back();
    path_.pop_back();
    return true;
  }
  bool start_array(std::size_t) {
    if (level_ > 0) return enter_binding_container(false);
    json& created = place(json::array());
    path_.push_back(key_);
    stack_.push_back(&created);
    return true;
  }
  bool end_array() {
    if (level_ > 0) return leave_binding_container();
    stack_.pop_back();
    path_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) {
    error_byte_ = position;
    return false;
  }

  const std::optional<Error>& failure() const { return failure_; }
  std::size_t error_byte() const { return error_byte_; }
  BindingSet take_bindings() { return std::move(bindings_); }

 private:
  // A binding subkey starts when an object opens under HKEY_LOCAL_MACHINE\...\Parameters\<Info>, once the
  // schema version is known (before that, subkeys go into the tree and are decoded from there).
  bool entering_binding() {
    static const std::array<std::string, 7> kInfoParent = {"",         kHive,  "SYSTEM",    "CurrentControlSet",
                                                           "Services", "HTTP", "Parameters"};
    if (!version_ok_ || path_.size() != kInfoParent.size() + 1 || stack_.empty() || !stack_.back()->is_object()) {
      return false;
    }
    if (!std::equal(kInfoParent.begin(), kInfoParent.end(), path_.begin())) return false;
    kind_ = kind_of_info_key(path_.back());
    subkey_ = key_;
    return kind_.has_value();
  }

  // Inside a binding subkey: level 1 is the subkey (value names), level 2 a value ({"type", "data"}); anything
  // deeper, or an array, makes the value malformed.
  bool enter_binding_container(bool object) {
    if (skip_ > 0) {
      ++skip_;
      return true;
    }
    if (level_ == 1 && object) {
      level_ = 2;
      return true;
    }
    RawValue& raw = values_.back();
    if (level_ == 2 && field_ == "data" && !raw.has_data) {
      // Data that is not a scalar: kept as an empty container of its kind, which the typed readers refuse as they
      // would refuse the real one; its content is skipped.
      raw.data = object ? json::object() : json::array();
      raw.has_data = true;
    } else {
      raw.well_formed = false;  // an array for a value, or a container where "type" or another field should be
    }
    ++skip_;
    return true;
  }
  bool leave_binding_container() {
    if (skip_ > 0) {
      --skip_;
      return true;
    }
    if (level_ == 2) {
      RawValue& v = values_.back();
      v.well_formed = v.well_formed && v.has_type && v.has_data;
      level_ = 1;
      return true;
    }
    level_ = 0;
    if (auto s = decode_subkey(*kind_, subkey_, values_, bindings_); !s) {
      failure_ = s.error();
      return false;
    }
    return true;
  }

  template <class V>
  bool scalar(V&& v) {
    if (level_ == 0) {
      place(json(std::forward<V>(v)));
      return true;
    }
    if (skip_ > 0) return true;
    if (level_ == 1) {
      values_.back().well_formed = false;  // a value that is not {"type", "data"}
      return true;
    }
    RawValue& raw = values_.back();
    if (field_ == "type" && !raw.has_type) {
      json t(std::forward<V>(v));
      if (!t.is_string())
        raw.well_formed = false;
      else
        raw.type = t.template get<std::string>();
      raw.has_type = true;
    } else if (field_ == "data" && !raw.has_data) {
      raw.data = json(std::forward<V>(v));
      raw.has_data = true;
    } else {
      raw.well_formed = false;
    }
    return true;
  }

  json& place(json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return root_;
    }
    json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return parent.back();
    }
    return parent[key_] = std::move(value);
  }

  json& root_;
  std::vector<json*> stack_;       // open containers of the tree
  std::vector<std::string> path_;  // the key each open container has in its parent ("" for the root)
  std::string key_;                // the last key read outside bindings
  bool version_ok_ = false;
  int level_ = 0;  // 0 outside a binding subkey
  int skip_ = 0;   // nesting inside a malformed value
  std::optional<KeyKind> kind_;
  std::string subkey_;
  std::string field_;
  RawValues values_;
  BindingSet bindings_;
  std::optional<Error> failure_;
  std::size_t error_byte_ = 0;
};

}  // namespace

Result<RegistryState> read_registry(std::string_view text, json& rest) {
  RegistryReader reader(rest);
  const bool parsed = json::sax_parse(text, &reader);
  if (reader.failure()) return *reader.failure();
  if (!parsed)
    return Error(ErrorCode::RegistryUnreadable, "not valid JSON at byte " + std::to_string(reader.error_byte()));
  RegistryState state{reader.take_bindings(), std::nullopt, {}, {}, std::nullopt};
  // What was not decoded on the way (a file whose schemaVersion comes late, or none) is decoded from the tree.
  if (auto s = decode_bindings_into(rest, state.bindings); !s) return s.error();
  auto provider = decode_ccs_provider(rest);
  if (!provider) return provider.error();
  state.ccs_provider = std::move(*provider);
  auto farms = decode_farms(rest);
  if (!farms) return farms.error();
  state.farms = std::move(*farms);
  auto ip_listen = decode_ip_listen(rest);
  if (!ip_listen) return ip_listen.error();
  state.ip_listen = std::move(*ip_listen);
  auto tls_policy = decode_tls_policy(rest);
  if (!tls_policy) return tls_policy.error();
  state.tls_policy = std::move(*tls_policy);
  return state;
}

}  // namespace sslbind::store
