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

std::string show_header(const ShowGeneration& generation) {
  return "\nSSL Certificate bindings:\n-------------------------\n" +
         std::string(static_cast<std::size_t>(generation.blank_lines_after_header), '\n');
}

std::string show_entry(const Binding& b, const ShowGeneration& generation) {
  const SslSettings& s = b.settings;
  std::string out;
  // A field the generation prints; the key line is printed by every one.
  const auto line = [&](std::string_view label, std::string_view value) {
    if ((generation.fields & field_bit(label)) != 0) field_line(out, label, value);
  };
  const auto toggle = [&](const ToggleRow& row) {
    if ((generation.fields & field_bit(row.label)) != 0) toggle_line(out, row, s);
  };
  field_line(out, show_key_label(b.key.kind()), b.key.value());
  line("Certificate Hash", s.certhash ? s.certhash->hex() : "(null)");
  line("Application ID", s.appid.str());
  line("Certificate Store Name", or_null(s.certstorename));
  for (const auto& row : client_cert_rows()) {
    toggle(row);
    if (row.parameter == "verifyrevocationwithcachedclientcertonly" &&
        (s.check_mode & check_mode::kFreshnessTimeEnabled) != 0) {
      field_line(out, kFreshnessInForceLabel, "Enabled");
    }
  }
  line("Revocation Freshness Time", std::to_string(s.revocation_freshness_time));
  line("URL Retrieval Timeout", std::to_string(s.url_retrieval_timeout));
  line("Ctl Identifier", or_null(s.ctl_identifier));
  line("Ctl Store Name", or_null(s.ctl_store_name));
  for (const auto& row : flag_rows()) toggle(row);
  line(kCachingClientHelloLabel, (s.flags & ssl_flag::kEnableCacheClientHello) ? "Set" : "Not Set");
  if (!generation.extended_properties) {
    out += '\n';
    return out;
  }
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
