#include "core/registry_names.hpp"

namespace sslbind {

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

}  // namespace sslbind
