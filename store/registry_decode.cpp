#include "store/registry_decode.hpp"

#include <array>
#include <tuple>

#include "core/ip_listen.hpp"
#include "core/registry_names.hpp"
#include "store/registry_codec.hpp"

namespace sslbind::store {

using namespace layout;

namespace {

Result<BindingKey> decode_key(KeyKind kind, const std::string& subkey, const ValueReader& values,
                              const std::function<std::string()>& where) {
  auto fail = [&](const Error& e) { return unreadable(where(), e.detail); };
  switch (kind) {
    case KeyKind::IpPort: {
      auto ip = IpPort::parse(subkey);
      if (!ip) return fail(ip.error());
      return BindingKey::ip(*ip);
    }
    case KeyKind::Ccs: {
      auto ip = IpPort::parse(subkey);
      if (!ip) return fail(ip.error());
      if (ip->address.str() != "0.0.0.0") return unreadable(where(), "a CCS binding's key must be 0.0.0.0:<port>");
      return BindingKey::ccs(ip->port);
    }
    case KeyKind::HostnamePort:
    case KeyKind::ScopedCcs: {
      // Windows tools read the host from the HostnamePort value, not from the subkey name.
      auto hostname_port = values.string(kHostnamePort);
      if (!hostname_port) return hostname_port.error();
      if (!*hostname_port) return unreadable(where(), "the HostnamePort value is missing");
      auto hp = HostPort::parse(**hostname_port, key_parameter(kind));
      if (!hp) return fail(hp.error());
      return kind == KeyKind::HostnamePort ? BindingKey::sni(*hp) : BindingKey::scoped_ccs(*hp);
    }
  }
  return unreadable(where(), "unknown binding kind");
}

Result<Binding> decode_binding(KeyKind kind, const std::string& subkey, const RawValues& raw,
                               const std::function<std::string()>& where) {
  const ValueReader values(raw, where);
  if (auto s = values.only_known(binding_value_names()); !s) return s.error();
  auto key = decode_key(kind, subkey, values, where);
  if (!key) return key.error();
  SslSettings s;
  auto hash = values.binary<Thumbprint::kBytes>(kCertHash);
  if (!hash) return hash.error();
  const bool ccs_family = kind == KeyKind::Ccs || kind == KeyKind::ScopedCcs;
  if (!*hash && !ccs_family) return unreadable(where(), "the SslCertHash value is missing");
  if (*hash && ccs_family) return unreadable(where(), "a CCS binding has no SslCertHash value");
  if (*hash) s.certhash = Thumbprint::from_bytes(**hash);
  auto appid = values.binary<16>(kAppId);
  if (!appid) return appid.error();
  if (!*appid) return unreadable(where(), "the AppId value is missing");
  s.appid = Guid::from_windows_bytes(**appid);

  auto store = values.string(kStoreName);
  if (!store) return store.error();
  if (*store) {
    if (auto ok = validate_store_name(**store, kStoreName); !ok) return unreadable(where(), ok.error().detail);
  }
  s.certstorename = *store;
  auto ctl_id = values.string(kCtlIdentifier);
  if (!ctl_id) return ctl_id.error();
  if (*ctl_id) {
    if (auto ok = validate_text_value(**ctl_id, kCtlIdentifier); !ok) return unreadable(where(), ok.error().detail);
  }
  s.ctl_identifier = *ctl_id;
  auto ctl_store = values.string(kCtlStoreName);
  if (!ctl_store) return ctl_store.error();
  if (*ctl_store) {
    if (auto ok = validate_store_name(**ctl_store, kCtlStoreName); !ok) return unreadable(where(), ok.error().detail);
  }
  s.ctl_store_name = *ctl_store;

  for (auto [name, field] : {std::pair{kCheckMode, &s.check_mode}, std::pair{kFreshness, &s.revocation_freshness_time},
                             std::pair{kUrlTimeout, &s.url_retrieval_timeout}, std::pair{kFlags, &s.flags}}) {
    auto v = values.dword(name);
    if (!v) return v.error();
    *field = *v;
  }
  ExtendedProperties x;
  for (auto [name, field, absent] :
       {std::tuple{kHttp2ReceiveWindow, &x.receive_window, ExtendedProperties::kDefaultReceiveWindow},
        std::tuple{kHttp2MaxSettingsPerFrame, &x.max_settings_per_frame,
                   ExtendedProperties::kDefaultMaxSettingsPerFrame},
        std::tuple{kHttp2MaxSettingsPerMinute, &x.max_settings_per_minute,
                   ExtendedProperties::kDefaultMaxSettingsPerMinute}}) {
    auto v = values.dword(name, absent);
    if (!v) return v.error();
    *field = *v;
  }
  if (auto ok = validate_receive_window(x.receive_window); !ok) return unreadable(where(), ok.error().detail);
  return Binding{*key, std::move(s), x};
}

}  // namespace

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

std::span<const char* const> binding_value_names() {
  static constexpr std::array<const char*, 13> kNames{kCertHash,
                                                      kAppId,
                                                      kStoreName,
                                                      kHostnamePort,
                                                      kCheckMode,
                                                      kFreshness,
                                                      kUrlTimeout,
                                                      kCtlIdentifier,
                                                      kCtlStoreName,
                                                      kFlags,
                                                      kHttp2ReceiveWindow,
                                                      kHttp2MaxSettingsPerFrame,
                                                      kHttp2MaxSettingsPerMinute};
  return kNames;
}

Status decode_subkey(KeyKind kind, const std::string& name, const RawValues& values, BindingSet& set) {
  const std::function<std::string()> where = [&] {
    return std::string(kParametersDisplay) + "\\" + std::string(binding_info_key(kind)) + "\\" + name;
  };
  auto binding = decode_binding(kind, name, values, where);
  if (!binding) return binding.error();
  // Host-name keys are read from HostnamePort, so only IP and CCS subkey names must be canonical.
  if (kind != KeyKind::HostnamePort && kind != KeyKind::ScopedCcs && binding_subkey_name(binding->key) != name) {
    return unreadable(where(),
                      "the subkey name is not in canonical form " + text::quote(binding_subkey_name(binding->key)));
  }
  if (auto added = set.add(std::move(*binding)); !added) {
    return unreadable(where(), "a second subkey for the same binding (names differ only in case or spelling)");
  }
  return Ok{};
}

Status decode_bindings_into(const json& document, BindingSet& set) {
  if (auto s = check_version(document); !s) return s;
  const json* params = find_key(document, kParametersPath.data());
  if (params == nullptr) return Ok{};
  if (!params->is_object())
    return unreadable(kParametersDisplay, "this key and every key above it must be JSON objects");
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

Result<std::optional<CcsProviderConfig>> decode_ccs_provider(const json& document) {
  const json* key = find_key(document, kCcsProviderPath.data());
  if (key == nullptr) return std::optional<CcsProviderConfig>();
  if (!key->is_object()) return unreadable(kCcsProviderDisplay, "this key and every key above it must be JSON objects");
  // Password (the share account's) is kept as found: IIS may have written it, and sslbind never reads it.
  const RawValues raw = raw_values(*key);
  const ValueReader values(raw, [] { return std::string(kCcsProviderDisplay); });
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
    if (*value)
      key[name] = reg_sz(**value);
    else
      key.erase(name);
  }
  if (!config->enabled) key.erase(kPassword);
}

Result<std::optional<TlsPolicy>> decode_tls_policy(const json& document) {
  const json* key = find_key(document, kTlsPolicyPath.data());
  if (key == nullptr) return std::optional<TlsPolicy>();
  if (!key->is_object()) return unreadable(kTlsPolicyDisplay, "this key and every key above it must be JSON objects");
  const RawValues raw = raw_values(*key);
  const ValueReader values(raw, [] { return std::string(kTlsPolicyDisplay); });
  if (auto s = values.only_known({kProfile, kProtocols, kCiphers, kCipherSuites, kGroups, kSignatureAlgorithms,
                                  kServerPreference, kOcspStaplingForSni});
      !s) {
    return s.error();
  }
  TlsPolicy policy;
  auto profile = values.string(kProfile);
  if (!profile) return profile.error();
  policy.profile = profile->value_or("custom");
  if (policy.profile != "custom" && !tls_profile(policy.profile)) {
    return unreadable(std::string(kTlsPolicyDisplay) + "\\" + kProfile,
                      "unknown profile " + text::quote(policy.profile));
  }
  auto protocols = values.multi_string(kProtocols);
  if (!protocols) return protocols.error();
  std::string listed;
  for (const std::string& p : protocols->value_or(std::vector<std::string>{}))
    listed += (listed.empty() ? "" : ",") + p;
  auto versions = parse_tls_versions(listed);
  if (!versions) return unreadable(std::string(kTlsPolicyDisplay) + "\\" + kProtocols, versions.error().detail);
  policy.protocols = std::move(*versions);
  for (auto [name, field] :
       {std::pair{kCiphers, &policy.ciphers}, std::pair{kCipherSuites, &policy.ciphersuites},
        std::pair{kGroups, &policy.groups}, std::pair{kSignatureAlgorithms, &policy.signature_algorithms}}) {
    auto v = values.string(name);
    if (!v) return v.error();
    *field = v->value_or("");
  }
  auto preference = values.dword(kServerPreference);
  if (!preference) return preference.error();
  if (*preference > 1) return unreadable(std::string(kTlsPolicyDisplay) + "\\" + kServerPreference, "must be 0 or 1");
  policy.server_preference = *preference == 1;
  auto sni = values.dword(kOcspStaplingForSni);
  if (!sni) return sni.error();
  if (*sni > 1) return unreadable(std::string(kTlsPolicyDisplay) + "\\" + kOcspStaplingForSni, "must be 0 or 1");
  policy.ocsp_stapling_for_sni = *sni == 1;
  return std::optional<TlsPolicy>(std::move(policy));
}

void encode_tls_policy(const std::optional<TlsPolicy>& policy, json& document) {
  if (!policy) return;
  json& key = make_key(document, kTlsPolicyPath.data());
  key = json::object();
  key[kProfile] = reg_sz(policy->profile);
  std::vector<std::string> protocols;
  for (TlsVersion v : policy->protocols) protocols.emplace_back(tls_version_name(v));
  key[kProtocols] = reg_multi_sz(protocols);
  key[kCiphers] = reg_sz(policy->ciphers);
  key[kCipherSuites] = reg_sz(policy->ciphersuites);
  key[kGroups] = reg_sz(policy->groups);
  key[kSignatureAlgorithms] = reg_sz(policy->signature_algorithms);
  key[kServerPreference] = reg_dword(policy->server_preference ? 1 : 0);
  key[kOcspStaplingForSni] = reg_dword(policy->ocsp_stapling_for_sni ? 1 : 0);
}

}  // namespace sslbind::store

namespace sslbind::store {

Result<std::vector<IpAddress>> decode_ip_listen(const json& document) {
  std::vector<IpAddress> list;
  const json* params = find_key(document, kParametersPath.data());
  if (params == nullptr || !params->is_object() || !params->contains(kListenOnlyList)) return list;
  const std::string where = std::string(kParametersDisplay) + "\\" + kListenOnlyList;
  const RawValues raw = raw_values(json{{kListenOnlyList, (*params)[kListenOnlyList]}});
  const ValueReader values(raw, [] { return std::string(kParametersDisplay); });
  auto strings = values.multi_string(kListenOnlyList);
  if (!strings) return strings.error();
  for (const std::string& text : strings->value_or(std::vector<std::string>{})) {
    auto address = IpAddress::parse(text, "IP");
    if (!address) return unreadable(where, address.error().detail);
    if (auto s = add_ip_listen(list, *address); !s) return unreadable(where, s.error().detail);
  }
  return list;
}

void encode_ip_listen(const std::vector<IpAddress>& list, json& document) {
  if (list.empty()) {
    // Only a key that is there loses the value: an absent one is not made for it (erase() on null would throw).
    const json* found = find_key(document, kParametersPath.data());
    if (found != nullptr && found->is_object()) make_key(document, kParametersPath.data()).erase(kListenOnlyList);
    return;
  }
  json& params = make_key(document, kParametersPath.data());
  std::vector<std::string> text;
  for (const IpAddress& a : list) text.push_back(a.str());
  params[kListenOnlyList] = reg_multi_sz(text);
}

}  // namespace sslbind::store
