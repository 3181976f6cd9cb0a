#include "store/registry_codec.hpp"

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

json reg_binary(const std::uint8_t* data, std::size_t n) { return {{"type", "REG_BINARY"}, {"data", text::to_hex(data, n)}}; }
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

// Reads the typed values of one binding subkey.
class ValueReader {
 public:
  ValueReader(const json& key, std::string where) : key_(key), where_(std::move(where)) {}

  // Returns the value's data if present and of the expected type, nullptr if absent.
  Result<const json*> get(const char* name, const char* type) const {
    if (!key_.contains(name)) return static_cast<const json*>(nullptr);
    const json& v = key_[name];
    if (!v.is_object() || !v.contains("type") || !v.contains("data") || v.size() != 2) {
      return unreadable(where_ + "\\" + name, "a value must be {\"type\": ..., \"data\": ...}");
    }
    if (v["type"] != type) {
      return unreadable(where_ + "\\" + name, "expected type " + std::string(type) + ", found " + v["type"].dump());
    }
    return &v["data"];
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

  // Fixed-length REG_BINARY; returns false in `present` when absent.
  template <std::size_t N>
  Result<std::optional<std::array<std::uint8_t, N>>> binary(const char* name) const {
    auto v = get(name, "REG_BINARY");
    if (!v) return v.error();
    if (*v == nullptr) return std::optional<std::array<std::uint8_t, N>>();
    const std::string bad = "REG_BINARY data must be " + std::to_string(N) + " bytes as " + std::to_string(2 * N) +
                            " hex digits";
    if (!(*v)->is_string()) return unreadable(where_ + "\\" + name, bad);
    const auto& hex = (*v)->get_ref<const std::string&>();
    if (hex.size() != 2 * N) return unreadable(where_ + "\\" + name, bad);
    std::array<std::uint8_t, N> out{};
    for (std::size_t i = 0; i < 2 * N; ++i) {
      const char c = hex[i];
      if (!text::is_hex_digit(c)) return unreadable(where_ + "\\" + name, bad);
      const std::uint8_t d = text::hex_value(c);
      out[i / 2] = static_cast<std::uint8_t>(out[i / 2] | (i % 2 == 0 ? d << 4 : d));
    }
    return std::optional<std::array<std::uint8_t, N>>(out);
  }

  Status only_known(std::initializer_list<const char*> names) const {
    for (const auto& [name, _] : key_.items()) {
      bool known = false;
      for (const char* n : names) known = known || name == n;
      if (!known) return unreadable(where_, "unknown value " + text::quote(name));
    }
    return Ok{};
  }

 private:
  const json& key_;
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

Result<Binding> decode_binding(KeyKind kind, const std::string& subkey, const json& node, const std::string& where) {
  if (!node.is_object()) return unreadable(where, "a binding subkey must be a JSON object");
  const ValueReader values(node, where);
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

json encode_binding(const Binding& b) {
  const SslSettings& s = b.settings;
  json key = json::object();
  if (s.certhash) key[kCertHash] = reg_binary(s.certhash->bytes().data(), Thumbprint::kBytes);
  const auto appid = s.appid.windows_bytes();
  key[kAppId] = reg_binary(appid.data(), appid.size());
  if (s.certstorename) key[kStoreName] = reg_sz(*s.certstorename);
  if (b.key.kind() == KeyKind::HostnamePort || b.key.kind() == KeyKind::ScopedCcs) {
    key[kHostnamePort] = reg_sz(b.key.value());
  }
  key[kCheckMode] = reg_dword(s.check_mode);
  key[kFreshness] = reg_dword(s.revocation_freshness_time);
  key[kUrlTimeout] = reg_dword(s.url_retrieval_timeout);
  if (s.ctl_identifier) key[kCtlIdentifier] = reg_sz(*s.ctl_identifier);
  if (s.ctl_store_name) key[kCtlStoreName] = reg_sz(*s.ctl_store_name);
  key[kFlags] = reg_dword(s.flags);
  return key;
}

}  // namespace

std::string_view binding_info_key(KeyKind kind) {
  switch (kind) {
    case KeyKind::IpPort: return "SslBindingInfo";
    case KeyKind::HostnamePort: return "SslSniBindingInfo";
    case KeyKind::Ccs: return "SslCcsBindingInfo";
    case KeyKind::ScopedCcs: return "SslScopedCcsBindingInfo";
  }
  return "SslBindingInfo";
}

std::string binding_subkey_name(const BindingKey& key) {
  // The CCS API key is the IPv4 wildcard with the port (HTTP_SERVICE_CONFIG_SSL_CCS_KEY).
  if (key.kind() == KeyKind::Ccs) return "0.0.0.0:" + std::to_string(key.port());
  return key.value();
}

json empty_document() {
  json doc = {{"schemaVersion", kSchemaVersion}};
  make_key(doc, kParametersPath.data()) = json::object();
  return doc;
}

Result<json> parse_document(std::string_view text) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    return Error(ErrorCode::RegistryUnreadable, "not valid JSON at byte " + std::to_string(e.byte));
  }
}

Result<BindingSet> decode_bindings(const json& document) {
  if (!document.is_object()) return unreadable("document", "the top level must be a JSON object");
  if (!document.contains("schemaVersion")) return unreadable("document", "schemaVersion is missing");
  const json& version = document["schemaVersion"];
  if (!version.is_number_integer() || version.get<std::int64_t>() != kSchemaVersion) {
    return unreadable("document", "schemaVersion " + version.dump() + " is not supported; this sslbind reads " +
                                      std::to_string(kSchemaVersion) + " (a newer sslbind may have written it)");
  }
  BindingSet set;
  const json* params = find_key(document, kParametersPath.data());
  if (params == nullptr) return set;
  if (!params->is_object()) return unreadable(kParametersDisplay, "this key and every key above it must be JSON objects");
  for (KeyKind kind : kKinds) {
    const std::string info = std::string(binding_info_key(kind));
    if (!params->contains(info)) continue;
    const json& subkeys = (*params)[info];
    const std::string info_where = std::string(kParametersDisplay) + "\\" + info;
    if (!subkeys.is_object()) return unreadable(info_where, "must be a JSON object");
    for (const auto& [name, node] : subkeys.items()) {
      const std::string where = info_where + "\\" + name;
      auto binding = decode_binding(kind, name, node, where);
      if (!binding) return binding.error();
      if (binding_subkey_name(binding->key) != name && kind != KeyKind::HostnamePort && kind != KeyKind::ScopedCcs) {
        return unreadable(where, "the subkey name is not in canonical form " +
                                     text::quote(binding_subkey_name(binding->key)));
      }
      if (auto added = set.add(std::move(*binding)); !added) {
        return unreadable(where, "a second subkey for the same binding (names differ only in case or spelling)");
      }
    }
  }
  return set;
}

void encode_bindings(const BindingSet& bindings, json& document) {
  json& params = make_key(document, kParametersPath.data());
  for (KeyKind kind : kKinds) params[std::string(binding_info_key(kind))] = json::object();
  for (const auto& [key, binding] : bindings) {
    params[std::string(binding_info_key(key.kind()))][binding_subkey_name(key)] = encode_binding(binding);
  }
}

Result<std::optional<CcsProviderConfig>> decode_ccs_provider(const json& document) {
  const json* key = find_key(document, kCcsProviderPath.data());
  if (key == nullptr) return std::optional<CcsProviderConfig>();
  if (!key->is_object()) return unreadable(kCcsProviderDisplay, "this key and every key above it must be JSON objects");
  // Password (the share account's) is kept as found: IIS may have written it, and sslbind never reads it.
  const ValueReader values(*key, kCcsProviderDisplay);
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

Result<RegistryState> decode_registry(const json& document) {
  auto bindings = decode_bindings(document);
  if (!bindings) return bindings.error();
  auto provider = decode_ccs_provider(document);
  if (!provider) return provider.error();
  return RegistryState{std::move(*bindings), std::move(*provider)};
}

void encode_registry(const RegistryState& state, json& document) {
  encode_bindings(state.bindings, document);
  encode_ccs_provider(state.ccs_provider, document);
}

}  // namespace sslbind::store
