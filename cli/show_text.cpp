#include "cli/show_text.hpp"

#include <array>

#include "core/parameters.hpp"

namespace sslbind::cli {
namespace {

// netsh pads labels to 29 columns; longer labels get a single space before the colon.
void line(std::string& out, std::string_view label, std::string_view value) {
  out += "    ";
  out += label;
  out.append(label.size() < 29 ? 29 - label.size() : 1, ' ');
  out += ": ";
  out += value;
  out += '\n';
}

std::string or_null(const std::optional<std::string>& v) { return v ? *v : "(null)"; }

std::string_view key_label(KeyKind kind) {
  switch (kind) {
    case KeyKind::IpPort: return "IP:port";
    case KeyKind::HostnamePort: return "Hostname:port";
    case KeyKind::Ccs: return "Central Certificate Store";
    case KeyKind::ScopedCcs: return "Scoped CCS:port";
  }
  return "IP:port";
}

// How a toggle is printed: the classic options say Enabled/Disabled, the newer flags Set/Not Set (the bit's state,
// not the option's: "Disable HTTP2 : Set" means HTTP/2 is off).
enum class Wording { EnabledDisabled, SetNotSet };

struct ToggleRow {
  std::string_view label;
  std::string_view parameter;
  Wording wording;
};

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

void toggle_line(std::string& out, const ToggleRow& row, const SslSettings& s) {
  const bool on = toggle_enabled(*find_parameter(row.parameter), s);
  if (row.wording == Wording::EnabledDisabled) line(out, row.label, on ? "Enabled" : "Disabled");
  else line(out, row.label, on ? "Set" : "Not Set");
}

}  // namespace

std::string show_header() { return "\nSSL Certificate bindings:\n-------------------------\n\n"; }

std::string show_entry(const Binding& b) {
  const SslSettings& s = b.settings;
  std::string out;
  line(out, key_label(b.key.kind()), b.key.value());
  line(out, "Certificate Hash", s.certhash ? s.certhash->hex() : "(null)");
  line(out, "Application ID", s.appid.str());
  line(out, "Certificate Store Name", or_null(s.certstorename));
  for (const auto& row : kClientCertRows) toggle_line(out, row, s);
  line(out, "Revocation Freshness Time", std::to_string(s.revocation_freshness_time));
  line(out, "URL Retrieval Timeout", std::to_string(s.url_retrieval_timeout));
  line(out, "Ctl Identifier", or_null(s.ctl_identifier));
  line(out, "Ctl Store Name", or_null(s.ctl_store_name));
  for (const auto& row : kFlagRows) toggle_line(out, row, s);
  // No netsh option sets this bit, but netsh shows it, and a registry imported from Windows may carry it.
  line(out, "Enable Caching Client Hello", (s.flags & ssl_flag::kEnableCacheClientHello) ? "Set" : "Not Set");
  out += '\n';
  return out;
}

}  // namespace sslbind::cli
