#include "cli/windows_json.hpp"

#include "store/base64.hpp"

namespace sslbind::cli {
namespace {

using json = nlohmann::ordered_json;

// HTTP_SERVICE_CONFIG_ID (http.h) of each family's configuration, in its plain form: the records netsh's listing
// describes are the plain HTTP_SERVICE_CONFIG_SSL_*_SET structures; the Ex forms (8, 9, 10, 12) carry one extended
// property each, which the document lists apart. 7 is HttpServiceConfigSetting, not a binding.
int config_type(KeyKind kind) {
  switch (kind) {
    case KeyKind::IpPort: return 1;        // HttpServiceConfigSSLCertInfo
    case KeyKind::HostnamePort: return 5;  // HttpServiceConfigSslSniCertInfo
    case KeyKind::Ccs: return 6;           // HttpServiceConfigSslCcsCertInfo
    case KeyKind::ScopedCcs: return 11;    // HttpServiceConfigSslScopedCcsCertInfo
  }
  return 0;
}

json or_null(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

json windows_binding_json(const Binding& b) {
  const SslSettings& s = b.settings;
  const std::string any_ip_port = "0.0.0.0:" + std::to_string(b.key.port());
  json j;
  switch (b.key.kind()) {
    case KeyKind::IpPort: j["IpPort"] = b.key.value(); break;
    case KeyKind::HostnamePort:
    case KeyKind::ScopedCcs:
      // HTTP_SERVICE_CONFIG_SSL_SNI_KEY: the API's address for a host-name binding is 0.0.0.0 with the port.
      j["IpPort"] = any_ip_port;
      j["Host"] = b.key.host();
      break;
    case KeyKind::Ccs: j["LocalAddress"] = any_ip_port; break;
  }
  j["ConfigType"] = config_type(b.key.kind());
  // .NET reads a Guid from its "D" form; GuidString is the braced form netsh's appid= takes.
  const std::string braced = s.appid.str();
  j["AppId"] = braced.substr(1, braced.size() - 2);
  j["GuidString"] = braced;
  // A byte array, as .NET serializes one: base64. CCS bindings have no hash (SslHashLength 0).
  j["SslHash"] = s.certhash ? store::base64(s.certhash->bytes()) : std::string();
  j["SslCertStoreName"] = or_null(s.certstorename);
  j["DefaultCertCheckMode"] = s.check_mode;
  j["DefaultRevocationFreshnessTime"] = s.revocation_freshness_time;
  j["DefaultRevocationUrlRetrievalTimeout"] = s.url_retrieval_timeout;
  j["DefaultSslCtlIdentifier"] = or_null(s.ctl_identifier);
  j["DefaultSslCtlStoreName"] = or_null(s.ctl_store_name);
  j["DefaultFlags"] = s.flags;
  return j;
}

json windows_status_json(int win32) {
  if (win32 == 2) return {{"message", "The system cannot find the file specified."}, {"status", 2}};
  return {{"message", "The operation completed successfully."}, {"status", 0}};
}

}  // namespace sslbind::cli
