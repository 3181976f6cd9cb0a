#include "cli/windows_json.hpp"

#include "core/sslcert_command.hpp"
#include "core/text.hpp"
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

namespace {

// A string field, or nullopt when it is null or absent; an error names any other type.
Result<std::optional<std::string>> text_field(const nlohmann::json& b, const char* name, std::size_t number) {
  if (!b.contains(name) || b[name].is_null()) return std::optional<std::string>();
  if (!b[name].is_string()) {
    return invalid("binding " + std::to_string(number) + ": " + name + " is not a string");
  }
  return std::optional<std::string>(b[name].get<std::string>());
}

Result<std::uint32_t> number_field(const nlohmann::json& b, const char* name, std::size_t number) {
  if (!b.contains(name)) return std::uint32_t{0};
  if (!b[name].is_number_unsigned() || b[name].get<std::uint64_t>() > 0xFFFFFFFFu) {
    return invalid("binding " + std::to_string(number) + ": " + name + " is not a 32-bit unsigned number");
  }
  return b[name].get<std::uint32_t>();
}

std::string port_of(const std::string& address) { return address.substr(address.rfind(':') + 1); }

Result<BatchLine> binding_from_json(const nlohmann::json& b, std::size_t number) {
  const std::string where = "binding " + std::to_string(number) + ": ";
  if (!b.is_object()) return invalid(where + "not an object");
  auto ip_port = text_field(b, "IpPort", number);
  auto host = text_field(b, "Host", number);
  auto local = text_field(b, "LocalAddress", number);
  auto store = text_field(b, "SslCertStoreName", number);
  auto ctl = text_field(b, "DefaultSslCtlIdentifier", number);
  auto ctl_store = text_field(b, "DefaultSslCtlStoreName", number);
  auto hash = text_field(b, "SslHash", number);
  auto guid = text_field(b, "GuidString", number);
  auto appid = text_field(b, "AppId", number);
  for (const auto* r : {&ip_port, &host, &local, &store, &ctl, &ctl_store, &hash, &guid, &appid}) {
    if (!*r) return r->error();
  }
  auto type = number_field(b, "ConfigType", number);
  auto check_mode = number_field(b, "DefaultCertCheckMode", number);
  auto freshness = number_field(b, "DefaultRevocationFreshnessTime", number);
  auto retrieval = number_field(b, "DefaultRevocationUrlRetrievalTimeout", number);
  auto flags = number_field(b, "DefaultFlags", number);
  for (const auto* r : {&type, &check_mode, &freshness, &retrieval, &flags}) {
    if (!*r) return r->error();
  }
  std::vector<std::string> words;
  // HTTP_SERVICE_CONFIG_ID: the plain forms and their Ex forms (docs/json.md).
  switch (*type) {
    case 1:
    case 8:
      if (!*ip_port) return invalid(where + "an IP binding without IpPort");
      words.push_back("ipport=" + **ip_port);
      break;
    case 5:
    case 9:
    case 11:
    case 12:
      if (!*host || !*ip_port) return invalid(where + "a host-name binding without Host and IpPort");
      words.push_back(std::string(*type == 11 || *type == 12 ? "scopedccs=" : "hostnameport=") + **host + ":" +
                      port_of(**ip_port));
      break;
    case 6:
    case 10:
      if (!*local) return invalid(where + "a Central Certificate Store binding without LocalAddress");
      words.push_back("ccs=" + port_of(**local));
      break;
    default:
      return invalid(where + "ConfigType " + std::to_string(*type) +
                     " is not a binding's (1 or 8 IP, 5 or 9 SNI, 6 or 10 CCS, 11 or 12 scoped CCS)");
  }
  if (*guid) {
    words.push_back("appid=" + **guid);
  } else if (*appid) {
    words.push_back("appid={" + **appid + "}");
  }
  if (*hash && !(*hash)->empty()) {
    const auto bytes = store::unbase64(**hash);
    if (!bytes || bytes->size() != Thumbprint::kBytes) {
      return invalid(where + "SslHash " + text::quote(**hash) + " is not the base64 of a 20-byte hash");
    }
    std::array<std::uint8_t, Thumbprint::kBytes> raw{};
    std::copy(bytes->begin(), bytes->end(), raw.begin());
    words.push_back("certhash=" + Thumbprint::from_bytes(raw).hex());
  }
  // A host-name binding made by the IIS API may name no store; HTTP.SYS reads it from MY (as import of a listing).
  const bool storeless_sni = !*store && words.front().starts_with("hostnameport=");
  if (*store) words.push_back("certstorename=" + **store);
  if (storeless_sni) words.push_back("certstorename=MY");
  if (*freshness != 0) words.push_back("revocationfreshnesstime=" + std::to_string(*freshness));
  if (*retrieval != 0) words.push_back("urlretrievaltimeout=" + std::to_string(*retrieval));
  if (*ctl) words.push_back("sslctlidentifier=" + **ctl);
  if (*ctl_store) words.push_back("sslctlstorename=" + **ctl_store);
  auto cmd = parse_sslcert_arguments(Verb::Add, words);
  if (!cmd) return Error(cmd.error().code, where + cmd.error().detail);
  if (storeless_sni) cmd->settings.certstorename.reset();
  // The two bit fields as Windows holds them, options without a netsh parameter included.
  cmd->settings.check_mode = *check_mode;
  cmd->settings.flags = *flags;
  return BatchLine{number, std::move(*cmd), std::nullopt};
}

}  // namespace

Result<std::vector<BatchLine>> bindings_from_windows_json(std::string_view text) {
  const auto document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded()) return invalid("the file starts like JSON but is not a JSON document");
  if (!document.is_object() || !document.contains("SslCertificateBindings") ||
      !document["SslCertificateBindings"].is_array()) {
    return invalid("the JSON document has no SslCertificateBindings list: is it netsh http show sslcert json=enable?");
  }
  std::vector<BatchLine> lines;
  std::size_t number = 0;
  for (const auto& b : document["SslCertificateBindings"]) {
    auto line = binding_from_json(b, ++number);
    if (!line) return line.error();
    lines.push_back(std::move(*line));
  }
  return lines;
}

}  // namespace sslbind::cli
