#include "core/show_layout.hpp"

#include <array>

namespace sslbind {
namespace {

constexpr std::array<ToggleRow, 3> kClientCertRows{{
    {"Verify Client Certificate Revocation", "verifyclientcertrevocation", Wording::EnabledDisabled},
    {"Verify Revocation Using Cached Client Certificate Only", "verifyrevocationwithcachedclientcertonly",
     Wording::EnabledDisabled},
    {"Usage Check", "usagecheck", Wording::EnabledDisabled},
}};

constexpr std::array<ToggleRow, 13> kFlagRows{{
    {"DS Mapper Usage", "dsmapperusage", Wording::EnabledDisabled},
    {"Negotiate Client Certificate", "clientcertnegotiation", Wording::EnabledDisabled},
    {"Reject Connections", "reject", Wording::EnabledDisabled},
    {"Disable HTTP2", "disablehttp2", Wording::SetNotSet},
    {"Disable QUIC", "disablequic", Wording::SetNotSet},
    {"Disable TLS1.2", "disabletls12", Wording::SetNotSet},
    {"Disable TLS1.3", "disabletls13", Wording::SetNotSet},
    {"Disable OCSP Stapling", "disableocspstapling", Wording::SetNotSet},
    {"Enable Token Binding", "enabletokenbinding", Wording::SetNotSet},
    {"Log Extended Events", "logextendedevents", Wording::SetNotSet},
    {"Disable Legacy TLS Versions", "disablelegacytls", Wording::SetNotSet},
    {"Enable Session Ticket", "enablesessionticket", Wording::SetNotSet},
    {"Disable Session ID", "disablesessionid", Wording::SetNotSet},
}};

}  // namespace

std::string_view show_key_label(KeyKind kind) {
  switch (kind) {
    case KeyKind::IpPort: return "IP:port";
    case KeyKind::HostnamePort: return "Hostname:port";
    case KeyKind::Ccs: return "Central Certificate Store";
    case KeyKind::ScopedCcs: return "Scoped CCS:port";
  }
  return "IP:port";
}

std::span<const ToggleRow> client_cert_rows() { return kClientCertRows; }
std::span<const ToggleRow> flag_rows() { return kFlagRows; }

}  // namespace sslbind
