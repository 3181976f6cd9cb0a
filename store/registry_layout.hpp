#pragma once
// Shared by the registry file's reader, writer and decoder (not a public interface): where things are in the
// document and what the values are called.
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/binding.hpp"
#include "core/error.hpp"
#include "core/registry_names.hpp"

namespace sslbind::store::layout {

using nlohmann::json;

// Key paths under HKEY_LOCAL_MACHINE, ended by nullptr.
inline constexpr std::array<const char*, 6> kParametersPath{"SYSTEM", "CurrentControlSet", "Services",
                                                            "HTTP",   "Parameters",        nullptr};
inline constexpr std::array<const char*, 5> kCcsProviderPath{"SOFTWARE", "Microsoft", "IIS", "CentralCertProvider",
                                                             nullptr};
// sslbind's own key: the web farms and routes of the front end (ARR keeps them in applicationHost.config).
inline constexpr std::array<const char*, 4> kWebFarmsPath{"SOFTWARE", "sslbind", "WebFarms", nullptr};
inline constexpr std::array<const char*, 4> kRoutesPath{"SOFTWARE", "sslbind", "Routes", nullptr};
inline constexpr std::array<const char*, 4> kTlsPolicyPath{"SOFTWARE", "sslbind", "TlsPolicy", nullptr};
inline constexpr const char* kTlsPolicyDisplay = "HKLM\\SOFTWARE\\sslbind\\TlsPolicy";
inline constexpr const char* kWebFarmsDisplay = "HKLM\\SOFTWARE\\sslbind\\WebFarms";
inline constexpr const char* kRoutesDisplay = "HKLM\\SOFTWARE\\sslbind\\Routes";
inline constexpr const char* kHive = "HKEY_LOCAL_MACHINE";
inline constexpr const char* kParametersDisplay = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters";
inline constexpr const char* kCcsProviderDisplay = "HKLM\\SOFTWARE\\Microsoft\\IIS\\CentralCertProvider";
inline constexpr std::array<KeyKind, 4> kKinds{KeyKind::IpPort, KeyKind::HostnamePort, KeyKind::Ccs,
                                               KeyKind::ScopedCcs};

// Value names, as HTTP.SYS writes them under each binding subkey.
inline constexpr const char* kCertHash = "SslCertHash";
inline constexpr const char* kAppId = "AppId";
inline constexpr const char* kStoreName = "SslCertStoreName";
inline constexpr const char* kHostnamePort = "HostnamePort";
inline constexpr const char* kCheckMode = "DefaultSslCertCheckMode";
inline constexpr const char* kFreshness = "DefaultSslRevocationFreshnessTime";
inline constexpr const char* kUrlTimeout = "DefaultSslRevocationUrlRetrievalTimeout";
inline constexpr const char* kCtlIdentifier = "DefaultSslCtlIdentifier";
inline constexpr const char* kCtlStoreName = "DefaultSslCtlStoreName";
inline constexpr const char* kFlags = "DefaultFlags";
// Under Parameters itself: the IP listen list, as HTTP.SYS keeps it.
inline constexpr const char* kListenOnlyList = "ListenOnlyList";
// Written only when they differ from what Windows lists by default (core/registry_names.hpp).
inline constexpr const char* kHttp2ReceiveWindow = extended_value::kReceiveWindow;
inline constexpr const char* kHttp2MaxSettingsPerFrame = extended_value::kMaxSettingsPerFrame;
inline constexpr const char* kHttp2MaxSettingsPerMinute = extended_value::kMaxSettingsPerMinute;
// Value names of a web farm and a route.
inline constexpr const char* kServers = "Servers";
inline constexpr const char* kHealthCheck = "HealthCheck";
inline constexpr const char* kHealthCheckInterval = "HealthCheckInterval";
inline constexpr const char* kFailures = "Failures";
inline constexpr const char* kFailureWindow = "FailureWindow";
inline constexpr const char* kHealthCheckStatus = "HealthCheckStatus";
inline constexpr const char* kLoadBalance = "LoadBalance";
inline constexpr const char* kArrSsl = "ArrSsl";
inline constexpr const char* kWebFarm = "WebFarm";
// Value names of the TLS policy.
inline constexpr const char* kProfile = "Profile";
inline constexpr const char* kProtocols = "Protocols";
inline constexpr const char* kCiphers = "Ciphers";
inline constexpr const char* kCipherSuites = "CipherSuites";
inline constexpr const char* kGroups = "Groups";
inline constexpr const char* kSignatureAlgorithms = "SignatureAlgorithms";
inline constexpr const char* kServerPreference = "ServerPreference";
inline constexpr const char* kOcspStaplingForSni = "EnableOcspStaplingForSni";  // Schannel's name
// Value names under CentralCertProvider, as IIS writes them.
inline constexpr const char* kEnabled = "Enabled";
inline constexpr const char* kCertStoreLocation = "CertStoreLocation";
inline constexpr const char* kUserName = "UserName";
inline constexpr const char* kPassword = "Password";
inline constexpr const char* kPrivateKeyPassword = "PrivateKeyPassword";
inline constexpr const char* kPollingInterval = "PollingInterval";

inline Error unreadable(const std::string& where, const std::string& why) {
  return Error(ErrorCode::RegistryUnreadable, where + ": " + why);
}

inline json reg_sz(const std::string& s) { return {{"type", "REG_SZ"}, {"data", s}}; }
inline json reg_dword(std::uint32_t v) { return {{"type", "REG_DWORD"}, {"data", v}}; }
inline json reg_multi_sz(const std::vector<std::string>& v) { return {{"type", "REG_MULTI_SZ"}, {"data", v}}; }

// The key at `path` under HKEY_LOCAL_MACHINE if it exists; nullptr if a key on the path is absent; a non-object node
// where the path is broken, so that the caller can refuse to rewrite a document it does not understand.
const json* find_key(const json& document, const char* const* path);
json& make_key(json& document, const char* const* path);
// The kind of binding an *BindingInfo key holds, if `name` is one.
std::optional<KeyKind> kind_of_info_key(const std::string& name);

}  // namespace sslbind::store::layout
