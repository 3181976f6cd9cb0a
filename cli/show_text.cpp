#include "cli/show_text.hpp"

#include "core/parameters.hpp"
#include "core/show_layout.hpp"

namespace sslbind::cli {
namespace {

std::string or_null(const std::optional<std::string>& v) { return v ? *v : "(null)"; }

void toggle_line(std::string& out, const ToggleRow& row, const SslSettings& s) {
  const bool on = toggle_enabled(*find_parameter(row.parameter), s);
  if (row.wording == Wording::EnabledDisabled)
    field_line(out, row.label, on ? "Enabled" : "Disabled");
  else
    field_line(out, row.label, on ? "Set" : "Not Set");
}

}  // namespace

// netsh pads labels to 29 columns; longer labels get a single space before the colon.
void field_line(std::string& out, std::string_view label, std::string_view value) {
  out += "    ";
  out += label;
  out.append(label.size() < 29 ? 29 - label.size() : 1, ' ');
  out += ": ";
  out += value;
  out += '\n';
}

// Windows Server 2022's layout: three blank lines between the dashes and the first entry (2019 printed one).
std::string show_header() { return "\nSSL Certificate bindings:\n-------------------------\n\n\n\n"; }

std::string show_entry(const Binding& b) {
  const SslSettings& s = b.settings;
  std::string out;
  field_line(out, show_key_label(b.key.kind()), b.key.value());
  field_line(out, "Certificate Hash", s.certhash ? s.certhash->hex() : "(null)");
  field_line(out, "Application ID", s.appid.str());
  field_line(out, "Certificate Store Name", or_null(s.certstorename));
  for (const auto& row : client_cert_rows()) {
    toggle_line(out, row, s);
    if (row.parameter == "verifyrevocationwithcachedclientcertonly" &&
        (s.check_mode & check_mode::kFreshnessTimeEnabled) != 0) {
      field_line(out, kFreshnessInForceLabel, "Enabled");
    }
  }
  field_line(out, "Revocation Freshness Time", std::to_string(s.revocation_freshness_time));
  field_line(out, "URL Retrieval Timeout", std::to_string(s.url_retrieval_timeout));
  field_line(out, "Ctl Identifier", or_null(s.ctl_identifier));
  field_line(out, "Ctl Store Name", or_null(s.ctl_store_name));
  for (const auto& row : flag_rows()) toggle_line(out, row, s);
  field_line(out, kCachingClientHelloLabel, (s.flags & ssl_flag::kEnableCacheClientHello) ? "Set" : "Not Set");
  // Windows Server 2022 lists every property id up to 4, with the values HTTP.SYS uses (its defaults when unset).
  for (std::uint32_t id = 0; id < kListedPropertyIds; ++id) {
    out += " " + std::string(kExtendedPropertiesLine) + "\n";
    field_line(out, kPropertyIdLabel, std::to_string(id));
    if (id == 0) field_line(out, kReceiveWindowLabel, std::to_string(b.extended.receive_window));
    if (id == 1) {
      field_line(out, kMaxSettingsPerFrameLabel, std::to_string(b.extended.max_settings_per_frame));
      field_line(out, kMaxSettingsPerMinuteLabel, std::to_string(b.extended.max_settings_per_minute));
    }
  }
  out += '\n';
  return out;
}

}  // namespace sslbind::cli
