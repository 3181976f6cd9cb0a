#pragma once
// Everything the registry file holds that sslbind manages: the HTTP.SYS bindings, the settings of the file-based
// Central Certificate Store provider (HKLM\SOFTWARE\Microsoft\IIS\CentralCertProvider), the IP listen list, and the
// web farms and routes the front end offloads to.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/binding_set.hpp"
#include "core/endpoint.hpp"
#include "core/tls_policy.hpp"
#include "core/webfarm.hpp"

namespace sslbind {

inline constexpr std::uint32_t kDefaultCcsPollingInterval = 300;  // seconds; IIS's default when the value is absent

struct CcsProviderConfig {
  bool enabled = false;
  std::string location;  // CertStoreLocation: the folder that holds <hostname>.pfx files
  std::optional<std::string> user_name;
  // PrivateKeyPassword as stored: sealed by the store layer (never the clear text), absent when PFX files carry none.
  std::optional<std::string> sealed_private_key_password;
  std::uint32_t polling_interval = kDefaultCcsPollingInterval;

  friend bool operator==(const CcsProviderConfig&, const CcsProviderConfig&) = default;
};

struct RegistryState {
  BindingSet bindings;
  std::optional<CcsProviderConfig> ccs_provider;  // absent until `add ccs` first writes the key
  FarmSet farms{};                                // web farms and routes (HKLM\SOFTWARE\sslbind)
  std::vector<IpAddress> ip_listen{};             // the IP listen list (core/ip_listen.hpp); empty: every address
  std::optional<TlsPolicy> tls_policy{};          // machine-wide (core/tls_policy.hpp); absent: intermediate
};

}  // namespace sslbind
