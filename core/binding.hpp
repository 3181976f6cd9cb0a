#pragma once
// A TLS certificate binding as HTTP.SYS keeps it: a key (IP:port, hostname:port, CCS port or scoped CCS
// hostname:port) and the HTTP_SERVICE_CONFIG_SSL_PARAM settings.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/endpoint.hpp"
#include "core/extended_properties.hpp"
#include "core/guid.hpp"
#include "core/hostname.hpp"
#include "core/thumbprint.hpp"

namespace sslbind {

// Declared in the order `show` lists them.
enum class KeyKind { IpPort, HostnamePort, Ccs, ScopedCcs };

// The netsh parameter that names this kind of key: "ipport", "hostnameport", "ccs", "scopedccs".
std::string_view key_parameter(KeyKind kind);

class BindingKey {
 public:
  static BindingKey ip(const IpPort& ip_port);
  static BindingKey sni(const HostPort& host_port);
  static BindingKey ccs(std::uint16_t port);
  static BindingKey scoped_ccs(const HostPort& host_port);

  KeyKind kind() const { return kind_; }
  std::uint16_t port() const { return port_; }
  const IpPort& ip_port() const { return ip_; }      // meaningful for IpPort keys only
  const std::string& host() const { return host_; }  // as typed; for HostnamePort and ScopedCcs keys only

  // The value as netsh takes and shows it: "0.0.0.0:443", "[::]:443", "www.contoso.com:443", "443".
  std::string value() const;
  // "ipport=0.0.0.0:443": how a user would type this key, for messages.
  std::string as_parameter() const;

  // Keys are equal when HTTP.SYS would treat them as the same binding: host names without regard to case.
  friend bool operator==(const BindingKey& a, const BindingKey& b) { return (a <=> b) == 0; }
  friend std::strong_ordering operator<=>(const BindingKey& a, const BindingKey& b);

 private:
  static BindingKey with_host(KeyKind kind, const HostPort& host_port);

  KeyKind kind_ = KeyKind::IpPort;
  IpPort ip_{};
  std::string host_;
  std::string host_folded_;  // lower-case host, for comparison
  std::uint16_t port_ = 0;
};

// DefaultCertCheckMode bits (HTTP_SERVICE_CONFIG_SSL_PARAM).
namespace check_mode {
inline constexpr std::uint32_t kNoRevocationCheck = 0x1;
inline constexpr std::uint32_t kCachedRevocationOnly = 0x2;
inline constexpr std::uint32_t kFreshnessTimeEnabled = 0x4;
inline constexpr std::uint32_t kNoUsageCheck = 0x10000;
}  // namespace check_mode

// DefaultFlags bits (HTTP_SERVICE_CONFIG_SSL_FLAG_*).
namespace ssl_flag {
inline constexpr std::uint32_t kUseDsMapper = 0x1;
inline constexpr std::uint32_t kNegotiateClientCert = 0x2;
inline constexpr std::uint32_t kNoRawFilter = 0x4;
inline constexpr std::uint32_t kReject = 0x8;
inline constexpr std::uint32_t kDisableHttp2 = 0x10;
inline constexpr std::uint32_t kDisableQuic = 0x20;
inline constexpr std::uint32_t kDisableTls13 = 0x40;
inline constexpr std::uint32_t kDisableOcspStapling = 0x80;
inline constexpr std::uint32_t kEnableTokenBinding = 0x100;
inline constexpr std::uint32_t kLogExtendedEvents = 0x200;
inline constexpr std::uint32_t kDisableLegacyTls = 0x400;
inline constexpr std::uint32_t kEnableSessionTicket = 0x800;
inline constexpr std::uint32_t kDisableTls12 = 0x1000;
inline constexpr std::uint32_t kEnableClientCorrelation = 0x2000;
inline constexpr std::uint32_t kDisableSessionId = 0x4000;
inline constexpr std::uint32_t kEnableCacheClientHello = 0x8000;
inline constexpr std::uint32_t kAll = 0xFFFF;
}  // namespace ssl_flag

// The store HTTP.SYS uses when a binding names none, and the default of `add cert`.
inline constexpr std::string_view kDefaultStore = "MY";
// The store a name given or left out stands for.
inline std::string store_or_default(const std::optional<std::string>& store) {
  return store.value_or(std::string(kDefaultStore));
}

struct SslSettings {
  std::optional<Thumbprint> certhash;  // absent for CCS bindings
  Guid appid;
  std::optional<std::string> certstorename;  // absent: HTTP.SYS uses MY, show prints (null)
  std::uint32_t check_mode = 0;
  std::uint32_t revocation_freshness_time = 0;  // seconds
  std::uint32_t url_retrieval_timeout = 0;      // milliseconds
  std::optional<std::string> ctl_identifier;
  std::optional<std::string> ctl_store_name;
  std::uint32_t flags = 0;

  // The store HTTP.SYS reads the certificate from.
  std::string effective_store() const { return store_or_default(certstorename); }

  friend bool operator==(const SslSettings&, const SslSettings&) = default;
};

struct Binding {
  BindingKey key;
  SslSettings settings;
  // Set only by `update sslpropertyex`: add starts from the defaults and update sslcert keeps them.
  ExtendedProperties extended{};
};

// Rules for a store name (certstorename, sslctlstorename): later it names a folder under the root, so it may not
// hold path separators or be "." or "..". `what` names the parameter.
Status validate_store_name(std::string_view name, std::string_view what);
// Rules for a free-text value such as sslctlidentifier: 1-256 bytes of visible UTF-8.
Status validate_text_value(std::string_view value, std::string_view what);

}  // namespace sslbind
