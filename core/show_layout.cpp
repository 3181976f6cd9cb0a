#include "core/show_layout.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <vector>

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

std::span<const std::string_view> field_labels() {
  static const std::vector<std::string_view> labels = [] {
    std::vector<std::string_view> out{"Certificate Hash", "Application ID", "Certificate Store Name"};
    for (const auto& row : kClientCertRows) out.push_back(row.label);
    for (std::string_view l :
         {"Revocation Freshness Time", "URL Retrieval Timeout", "Ctl Identifier", "Ctl Store Name"})
      out.push_back(l);
    for (const auto& row : kFlagRows) out.push_back(row.label);
    out.push_back(kCachingClientHelloLabel);
    return out;
  }();
  return labels;
}

std::span<const FieldLayout> layouts() {
  static const std::vector<FieldLayout> all = [] {
    const auto labels = field_labels();
    const auto index = [&](std::string_view label) {
      return static_cast<std::size_t>(std::find(labels.begin(), labels.end(), label) - labels.begin());
    };
    const auto through = [&](std::string_view last) {
      return static_cast<std::uint32_t>((std::uint64_t{1} << (index(last) + 1)) - 1);
    };
    const std::uint32_t session_id = std::uint32_t{1} << index("Disable Session ID");
    const std::uint32_t all_fields = through(kCachingClientHelloLabel);
    return std::vector<FieldLayout>{
        {through("Negotiate Client Certificate"), "Negotiate Client Certificate"},
        {through("Enable Session Ticket"), "Enable Session Ticket"},
        {through("Disable Session ID"), "Disable Session ID"},
        {all_fields & ~session_id, kCachingClientHelloLabel},
        {all_fields, kCachingClientHelloLabel},
    };
  }();
  return all;
}

}  // namespace sslbind
