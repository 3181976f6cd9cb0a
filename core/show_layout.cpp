#include "core/show_layout.hpp"

#include <algorithm>
#include <array>
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

std::uint32_t field_bit(std::string_view label) {
  const auto labels = field_labels();
  const auto at = std::find(labels.begin(), labels.end(), label);
  return at == labels.end() ? 0 : std::uint32_t{1} << (at - labels.begin());
}

std::span<const ShowGeneration> show_generations() {
  static const std::vector<ShowGeneration> all = [] {
    // Every field up to and with `last`.
    const auto through = [](std::string_view last) { return (field_bit(last) << 1) - 1; };
    return std::vector<ShowGeneration>{
        {"2022", through(kCachingClientHelloLabel), true, 3},
        {"2019", through("Enable Session Ticket"), true, 1},
        {"2016", through("Negotiate Client Certificate"), false, 1},
    };
  }();
  return all;
}

const ShowGeneration* find_show_generation(std::string_view name) {
  for (const ShowGeneration& g : show_generations()) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

bool is_layout_end(std::string_view label) {
  for (std::string_view end :
       {std::string_view("Negotiate Client Certificate"), std::string_view("Disable Legacy TLS Versions"),
        std::string_view("Enable Session Ticket"), std::string_view("Disable Session ID"), kCachingClientHelloLabel}) {
    if (label == end) return true;
  }
  return false;
}

}  // namespace sslbind
