#include "store/registry_codec.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "core/text.hpp"

namespace sslbind::store {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 6> kParametersPath{"SYSTEM", "CurrentControlSet", "Services", "HTTP", "Parameters",
                                                     nullptr};
constexpr std::array<const char*, 5> kCcsProviderPath{"SOFTWARE", "Microsoft", "IIS", "CentralCertProvider", nullptr};
constexpr const char* kHive = "HKEY_LOCAL_MACHINE";
constexpr const char* kParametersDisplay = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters";
constexpr const char* kCcsProviderDisplay = "HKLM\\SOFTWARE\\Microsoft\\IIS\\CentralCertProvider";
constexpr std::array<KeyKind, 4> kKinds{KeyKind::IpPort, KeyKind::HostnamePort, KeyKind::Ccs, KeyKind::ScopedCcs};

// Value names, as HTTP.SYS writes them under each binding subkey.
constexpr const char* kCertHash = "SslCertHash";
constexpr const char* kAppId = "AppId";
constexpr const char* kStoreName = "SslCertStoreName";
constexpr const char* kHostnamePort = "HostnamePort";
constexpr const char* kCheckMode = "DefaultSslCertCheckMode";
constexpr const char* kFreshness = "DefaultSslRevocationFreshnessTime";
constexpr const char* kUrlTimeout = "DefaultSslRevocationUrlRetrievalTimeout";
constexpr const char* kCtlIdentifier = "DefaultSslCtlIdentifier";
constexpr const char* kCtlStoreName = "DefaultSslCtlStoreName";
constexpr const char* kFlags = "DefaultFlags";
// Value names under CentralCertProvider, as IIS writes them.
constexpr const char* kEnabled = "Enabled";
constexpr const char* kCertStoreLocation = "CertStoreLocation";
constexpr const char* kUserName = "UserName";
constexpr const char* kPassword = "Password";
constexpr const char* kPrivateKeyPassword = "PrivateKeyPassword";
constexpr const char* kPollingInterval = "PollingInterval";

Error unreadable(const std::string& where, const std::string& why) {
  return Error(ErrorCode::RegistryUnreadable, where + ": " + why);
}

json reg_sz(const std::string& s) { return {{"type", "REG_SZ"}, {"data", s}}; }
json reg_dword(std::uint32_t v) { return {{"type", "REG_DWORD"}, {"data", v}}; }

// The key at `path` under HKEY_LOCAL_MACHINE if it exists; nullptr if a key on the path is absent; a non-object node
// where the path is broken, so that the caller can refuse to rewrite a document it does not understand.
const json* find_key(const json& document, const char* const* path) {
  if (!document.contains(kHive)) return nullptr;
  const json* node = &document[kHive];
  for (const char* const* name = path; *name != nullptr; ++name) {
    if (!node->is_object()) return node;
    if (!node->contains(*name)) return nullptr;
    node = &(*node)[*name];
  }
  return node;
}

json& make_key(json& document, const char* const* path) {
  json* node = &document[kHive];
  for (const char* const* name = path; *name != nullptr; ++name) node = &(*node)[*name];
  return *node;
}

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

RawValues raw_values(const json& key) {
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
  ValueReader(const RawValues& values, std::string where) : values_(values), where_(std::move(where)) {}

  // Returns the value's data if present and of the expected type, nullptr if absent.
  Result<const json*> get(const char* name, const char* type) const {
    const RawValue* v = nullptr;
    for (const RawValue& r : values_) {
      if (r.name == name) v = &r;
    }
    if (v == nullptr) return static_cast<const json*>(nullptr);
    if (!v->well_formed || !v->has_type || !v->has_data) {
      return unreadable(where_ + "\\" + name, "a value must be {\"type\": ..., \"data\": ...}");
    }
    if (v->type != type) {
      return unreadable(where_ + "\\" + name, "expected type " + std::string(type) + ", found " + json(v->type).dump());
    }
    return &v->data;
  }

  Result<std::optional<std::string>> string(const char* name) const {
    auto v = get(name, "REG_SZ");
    if (!v) return v.error();
    if (*v == nullptr) return std::optional<std::string>();
    if (!(*v)->is_string()) return unreadable(where_ + "\\" + name, "REG_SZ data must be a string");
    return std::optional<std::string>((*v)->get<std::string>());
  }

  Result<std::uint32_t> dword(const char* name, std::uint32_t absent = 0) const {
    auto v = get(name, "REG_DWORD");
    if (!v) return v.error();
    if (*v == nullptr) return absent;
    if (!(*v)->is_number_unsigned() || (*v)->get<std::uint64_t>() > 0xFFFFFFFFu) {
      return unreadable(where_ + "\\" + name, "REG_DWORD data must be a number from 0 to 4294967295");
    }
    return static_cast<std::uint32_t>((*v)->get<std::uint64_t>());
  }

  // Fixed-length REG_BINARY, as hex digits.
  template <std::size_t N>
  Result<std::optional<std::array<std::uint8_t, N>>> binary(const char* name) const {
    auto v = get(name, "REG_BINARY");
    if (!v) return v.error();
    if (*v == nullptr) return std::optional<std::array<std::uint8_t, N>>();
    auto bad = [&] {
      return unreadable(where_ + "\\" + name, "REG_BINARY data must be " + std::to_string(N) + " bytes as " +
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
    for (const RawValue& r : values_) {
      bool known = false;
      for (const char* n : names) known = known || r.name == n;
      if (!known) return unreadable(where_, "unknown value " + text::quote(r.name));
    }
    return Ok{};
  }

 private:
  const RawValues& values_;
  std::string where_;
};

Result<BindingKey> decode_key(KeyKind kind, const std::string& subkey, const ValueReader& values,
                              const std::string& where) {
  auto fail = [&](const Error& e) { return unreadable(where, e.detail); };
  switch (kind) {
    case KeyKind::IpPort: {
      auto ip = IpPort::parse(subkey);
      if (!ip) return fail(ip.error());
      return BindingKey::ip(*ip);
    }
    case KeyKind::Ccs: {
      auto ip = IpPort::parse(subkey);
      if (!ip) return fail(ip.error());
      if (ip->address.str() != "0.0.0.0") return unreadable(where, "a CCS binding's key must be 0.0.0.0:<port>");
      return BindingKey::ccs(ip->port);
    }
    case KeyKind::HostnamePort:
    case KeyKind::ScopedCcs: {
      // Windows tools read the host from the HostnamePort value, not from the subkey name.
      auto hostname_port = values.string(kHostnamePort);
      if (!hostname_port) return hostname_port.error();
      if (!*hostname_port) return unreadable(where, "the HostnamePort value is missing");
      auto hp = HostPort::parse(**hostname_port, key_parameter(kind));
      if (!hp) return fail(hp.error());
      return kind == KeyKind::HostnamePort ? BindingKey::sni(*hp) : BindingKey::scoped_ccs(*hp);
    }
  }
  return unreadable(where, "unknown binding kind");
}

Result<Binding> decode_binding(KeyKind kind, const std::string& subkey, const RawValues& raw, const std::string& where) {
  const ValueReader values(raw, where);
  if (auto s = values.only_known({kCertHash, kAppId, kStoreName, kHostnamePort, kCheckMode, kFreshness, kUrlTimeout,
                                  kCtlIdentifier, kCtlStoreName, kFlags});
      !s) {
    return s.error();
  }
  auto key = decode_key(kind, subkey, values, where);
  if (!key) return key.error();
  SslSettings s;
  auto hash = values.binary<Thumbprint::kBytes>(kCertHash);
  if (!hash) return hash.error();
  const bool ccs_family = kind == KeyKind::Ccs || kind == KeyKind::ScopedCcs;
  if (!*hash && !ccs_family) return unreadable(where, "the SslCertHash value is missing");
  if (*hash && ccs_family) return unreadable(where, "a CCS binding has no SslCertHash value");
  if (*hash) s.certhash = Thumbprint::from_bytes(**hash);
  auto appid = values.binary<16>(kAppId);
  if (!appid) return appid.error();
  if (!*appid) return unreadable(where, "the AppId value is missing");
  s.appid = Guid::from_windows_bytes(**appid);

  auto store = values.string(kStoreName);
  if (!store) return store.error();
  if (*store) {
    if (auto ok = validate_store_name(**store, kStoreName); !ok) return unreadable(where, ok.error().detail);
  }
  s.certstorename = *store;
  auto ctl_id = values.string(kCtlIdentifier);
  if (!ctl_id) return ctl_id.error();
  if (*ctl_id) {
    if (auto ok = validate_text_value(**ctl_id, kCtlIdentifier); !ok) return unreadable(where, ok.error().detail);
  }
  s.ctl_identifier = *ctl_id;
  auto ctl_store = values.string(kCtlStoreName);
  if (!ctl_store) return ctl_store.error();
  if (*ctl_store) {
    if (auto ok = validate_store_name(**ctl_store, kCtlStoreName); !ok) return unreadable(where, ok.error().detail);
  }
  s.ctl_store_name = *ctl_store;

  for (auto [name, field] : {std::pair{kCheckMode, &s.check_mode}, std::pair{kFreshness, &s.revocation_freshness_time},
                             std::pair{kUrlTimeout, &s.url_retrieval_timeout}, std::pair{kFlags, &s.flags}}) {
    auto v = values.dword(name);
    if (!v) return v.error();
    *field = *v;
  }
  return Binding{*key, std::move(s)};
}

// Appends the binding subkey as compact JSON, written directly: a registry of 100k bindings is written in one pass
// without building a JSON tree. Values appear in name order with their typed form {"data": ..., "type": ...}.
void append_binding(const Binding& b, std::string& out) {
  const SslSettings& s = b.settings;
  bool first = true;
  auto value = [&](const char* name, const std::string& data_json, const char* type) {
    out += first ? "{\"" : ",\"";
    first = false;
    out += name;
    out += "\":{\"data\":";
    out += data_json;
    out += ",\"type\":\"";
    out += type;
    out += "\"}";
  };
  auto binary = [&](const char* name, const std::uint8_t* data, std::size_t n) {
    value(name, "\"" + text::to_hex(data, n) + "\"", "REG_BINARY");
  };
  auto sz = [&](const char* name, const std::optional<std::string>& v) {
    if (v) value(name, json(*v).dump(), "REG_SZ");
  };
  // A DWORD of 0 is left out: HTTP.SYS reads an absent value as 0, and a registry of 100k bindings stays small.
  auto dword = [&](const char* name, std::uint32_t v) {
    if (v != 0) value(name, std::to_string(v), "REG_DWORD");
  };
  const auto appid = s.appid.windows_bytes();
  binary(kAppId, appid.data(), appid.size());
  dword(kFlags, s.flags);
  dword(kCheckMode, s.check_mode);
  sz(kCtlIdentifier, s.ctl_identifier);
  sz(kCtlStoreName, s.ctl_store_name);
  dword(kFreshness, s.revocation_freshness_time);
  dword(kUrlTimeout, s.url_retrieval_timeout);
  if (b.key.kind() == KeyKind::HostnamePort || b.key.kind() == KeyKind::ScopedCcs) sz(kHostnamePort, b.key.value());
  if (s.certhash) binary(kCertHash, s.certhash->bytes().data(), Thumbprint::kBytes);
  sz(kStoreName, s.certstorename);
  out += '}';
}

}  // namespace

json empty_document() {
  json doc = {{"schemaVersion", kSchemaVersion}};
  make_key(doc, kParametersPath.data()) = json::object();
  return doc;
}

namespace {

Status check_version(const json& document) {
  if (!document.is_object()) return unreadable("document", "the top level must be a JSON object");
  if (!document.contains("schemaVersion")) return unreadable("document", "schemaVersion is missing");
  const json& version = document["schemaVersion"];
  if (!version.is_number_integer() || version.get<std::int64_t>() != kSchemaVersion) {
    return unreadable("document", "schemaVersion " + version.dump() + " is not supported; this sslbind reads " +
                                      std::to_string(kSchemaVersion) + " (a newer sslbind may have written it)");
  }
  return Ok{};
}

// Decodes one binding subkey and adds it to `set`.
Status decode_subkey(KeyKind kind, const std::string& name, const RawValues& values, BindingSet& set) {
  const std::string where = std::string(kParametersDisplay) + "\\" + std::string(binding_info_key(kind)) + "\\" + name;
  auto binding = decode_binding(kind, name, values, where);
  if (!binding) return binding.error();
  if (binding_subkey_name(binding->key) != name && kind != KeyKind::HostnamePort && kind != KeyKind::ScopedCcs) {
    return unreadable(where, "the subkey name is not in canonical form " + text::quote(binding_subkey_name(binding->key)));
  }
  if (auto added = set.add(std::move(*binding)); !added) {
    return unreadable(where, "a second subkey for the same binding (names differ only in case or spelling)");
  }
  return Ok{};
}

Status decode_bindings_into(const json& document, BindingSet& set) {
  if (auto s = check_version(document); !s) return s;
  const json* params = find_key(document, kParametersPath.data());
  if (params == nullptr) return Ok{};
  if (!params->is_object()) return unreadable(kParametersDisplay, "this key and every key above it must be JSON objects");
  for (KeyKind kind : kKinds) {
    const std::string info = std::string(binding_info_key(kind));
    if (!params->contains(info)) continue;
    const json& subkeys = (*params)[info];
    if (!subkeys.is_object()) return unreadable(std::string(kParametersDisplay) + "\\" + info, "must be a JSON object");
    for (const auto& [name, node] : subkeys.items()) {
      if (!node.is_object()) {
        return unreadable(std::string(kParametersDisplay) + "\\" + info + "\\" + name,
                          "a binding subkey must be a JSON object");
      }
      if (auto st = decode_subkey(kind, name, raw_values(node), set); !st) return st;
    }
  }
  return Ok{};
}

std::optional<KeyKind> kind_of_info_key(const std::string& name) {
  for (KeyKind kind : kKinds) {
    if (binding_info_key(kind) == name) return kind;
  }
  return std::nullopt;
}

// Writes `node` as compact JSON, except that the path to the binding keys gets a line per key and each binding a
// line of its own: the file stays readable and diffable, and is written in one pass.
void write_node(const json& node, const RegistryState& state, std::vector<std::string>& path, std::string& out) {
  static const std::vector<std::string> kBindingsPath = {kHive, "SYSTEM", "CurrentControlSet", "Services", "HTTP",
                                                         "Parameters"};
  const bool on_path = path.size() <= kBindingsPath.size() &&
                       std::equal(path.begin(), path.end(), kBindingsPath.begin());
  if (path.size() == kBindingsPath.size() + 1 && std::equal(kBindingsPath.begin(), kBindingsPath.end(), path.begin())) {
    if (const auto kind = kind_of_info_key(path.back())) {
      out += '{';
      bool first = true;
      for (const auto& [key, binding] : state.bindings) {
        if (key.kind() != *kind) continue;
        out += first ? "\n" : ",\n";
        first = false;
        out += json(binding_subkey_name(key)).dump() + ":";
        append_binding(binding, out);
      }
      out += '}';
      return;
    }
  }
  if (!on_path || !node.is_object()) {
    out += node.dump();
    return;
  }
  out += '{';
  bool first = true;
  for (const auto& [name, child] : node.items()) {
    out += first ? "\n" : ",\n";
    first = false;
    out += json(name).dump() + ":";
    path.push_back(name);
    write_node(child, state, path, out);
    path.pop_back();
  }
  out += '}';
}

Result<std::optional<CcsProviderConfig>> decode_ccs_provider(const json& document) {
  const json* key = find_key(document, kCcsProviderPath.data());
  if (key == nullptr) return std::optional<CcsProviderConfig>();
  if (!key->is_object()) return unreadable(kCcsProviderDisplay, "this key and every key above it must be JSON objects");
  // Password (the share account's) is kept as found: IIS may have written it, and sslbind never reads it.
  const RawValues raw = raw_values(*key);
  const ValueReader values(raw, kCcsProviderDisplay);
  CcsProviderConfig config;
  auto enabled = values.dword(kEnabled);
  if (!enabled) return enabled.error();
  if (*enabled > 1) return unreadable(std::string(kCcsProviderDisplay) + "\\" + kEnabled, "must be 0 or 1");
  config.enabled = *enabled == 1;
  auto location = values.string(kCertStoreLocation);
  if (!location) return location.error();
  config.location = location->value_or("");
  if (config.enabled && config.location.empty()) {
    return unreadable(kCcsProviderDisplay, "the provider is enabled but CertStoreLocation is missing or empty");
  }
  auto user = values.string(kUserName);
  if (!user) return user.error();
  config.user_name = *user;
  if (auto password = values.string(kPassword); !password) return password.error();
  auto key_password = values.string(kPrivateKeyPassword);
  if (!key_password) return key_password.error();
  config.sealed_private_key_password = *key_password;
  auto polling = values.dword(kPollingInterval, kDefaultCcsPollingInterval);
  if (!polling) return polling.error();
  config.polling_interval = *polling;
  return std::optional<CcsProviderConfig>(std::move(config));
}

void encode_ccs_provider(const std::optional<CcsProviderConfig>& config, json& document) {
  if (!config) return;  // the key is only ever created by `add ccs`, and `delete ccs` keeps it (disabled)
  json& key = make_key(document, kCcsProviderPath.data());
  if (!key.is_object()) key = json::object();
  key[kEnabled] = reg_dword(config->enabled ? 1 : 0);
  key[kCertStoreLocation] = reg_sz(config->location);
  key[kPollingInterval] = reg_dword(config->polling_interval);
  // As IIS does on disable: the credentials go, the location stays.
  for (auto [name, value] : {std::pair{kUserName, &config->user_name},
                             std::pair{kPrivateKeyPassword, &config->sealed_private_key_password}}) {
    if (*value) key[name] = reg_sz(**value);
    else key.erase(name);
  }
  if (!config->enabled) key.erase(kPassword);
}

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
    if (stack_.size() == 1 && key_ == "schemaVersion") version_ok_ = v == static_cast<number_unsigned_t>(kSchemaVersion);
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
    if (level_ == 1 && skip_ == 0) values_.push_back(RawValue{k, "", nullptr, false, false, true});
    else if (level_ == 2 && skip_ == 0) field_ = k;
    else if (level_ == 0) key_ = std::move(k);
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
    static const std::array<std::string, 7> kInfoParent = {"", kHive, "SYSTEM", "CurrentControlSet", "Services",
                                                           "HTTP", "Parameters"};
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
    if (skip_ > 0 || level_ == 2 || !object || values_.empty()) {
      if (level_ == 1 && values_.empty()) return fail_binding("a binding subkey must hold named values");
      if (level_ >= 1 && !values_.empty()) values_.back().well_formed = false;
      ++skip_;
      return true;
    }
    level_ = 2;
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
  bool fail_binding(const std::string& why) {
    failure_ = unreadable(std::string(kParametersDisplay) + "\\" + path_.back() + "\\" + subkey_, why);
    return false;
  }

  template <class V>
  bool scalar(V&& v) {
    if (level_ == 0) {
      place(json(std::forward<V>(v)));
      return true;
    }
    if (skip_ > 0) return true;
    if (level_ == 1) {
      if (values_.empty()) return fail_binding("a binding subkey must hold named values");
      values_.back().well_formed = false;  // a value that is not {"type", "data"}
      return true;
    }
    RawValue& raw = values_.back();
    if (field_ == "type" && !raw.has_type) {
      json t(std::forward<V>(v));
      if (!t.is_string()) raw.well_formed = false;
      else raw.type = t.template get<std::string>();
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
  int level_ = 0;                  // 0 outside a binding subkey
  int skip_ = 0;                   // nesting inside a malformed value
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
  if (!parsed) return Error(ErrorCode::RegistryUnreadable, "not valid JSON at byte " + std::to_string(reader.error_byte()));
  RegistryState state{reader.take_bindings(), std::nullopt};
  // What was not decoded on the way (a file whose schemaVersion comes late, or none) is decoded from the tree.
  if (auto s = decode_bindings_into(rest, state.bindings); !s) return s.error();
  auto provider = decode_ccs_provider(rest);
  if (!provider) return provider.error();
  state.ccs_provider = std::move(*provider);
  return state;
}

std::string write_registry(const RegistryState& state, json& document) {
  encode_ccs_provider(state.ccs_provider, document);
  json& params = make_key(document, kParametersPath.data());
  for (KeyKind kind : kKinds) params[std::string(binding_info_key(kind))] = json::object();
  std::string out = "{\"schemaVersion\":" + std::to_string(kSchemaVersion);
  std::vector<std::string> path;
  for (const auto& [name, child] : document.items()) {
    if (name == "schemaVersion") continue;
    out += ",\n" + json(name).dump() + ":";
    path.assign(1, name);
    write_node(child, state, path, out);
  }
  return out + "}\n";
}

}  // namespace sslbind::store
