#include "cli/ccs_output.hpp"

#include "cli/format.hpp"

namespace sslbind::cli {
namespace {

constexpr std::size_t kWidth = 27;  // "Certificate Store Location" and a space

std::string expiry(const CertificateInfo& c, std::int64_t now) {
  return utc(c.not_after) + (c.not_after < now ? " (expired)" : "");
}

}  // namespace

std::string ccs_provider_text(const CcsProviderConfig& c) {
  std::string out = "\nCentral Certificate Store provider:\n-----------------------------------\n\n";
  label_line(out, "Enabled", c.enabled ? "Yes" : "No", kWidth);
  label_line(out, "Certificate Store Location", c.location.empty() ? "(none)" : c.location, kWidth);
  label_line(out, "User Name", c.user_name.value_or("(none)"), kWidth);
  label_line(out, "Private Key Password", c.sealed_private_key_password ? "(set)" : "(none)", kWidth);
  label_line(out, "Polling Interval", std::to_string(c.polling_interval) + " s", kWidth);
  return out + "\n";
}

nlohmann::ordered_json ccs_provider_json(const CcsProviderConfig& c) {
  return {{"enabled", c.enabled},
          {"location", c.location},
          {"username", c.user_name ? nlohmann::ordered_json(*c.user_name) : nlohmann::ordered_json()},
          {"privatekeypassword", c.sealed_private_key_password.has_value()},
          {"pollinginterval", c.polling_interval}};
}

std::string ccs_entries_text(const std::vector<store::CcsEntry>& entries, const std::vector<std::string>& ignored,
                             std::int64_t now) {
  std::string out = "Certificates:\n-------------\n\n";
  if (entries.empty()) out += "    (no <hostname>.pfx files)\n\n";
  for (const auto& e : entries) {
    label_line(out, "Hostname", e.hostname, kWidth);
    label_line(out, "File", e.file_name, kWidth);
    if (e.certificate) {
      label_line(out, "Thumbprint", e.certificate->thumbprint.hex(), kWidth);
      label_line(out, "Subject", e.certificate->subject, kWidth);
      label_line(out, "DNS Names", joined(e.certificate->dns_names), kWidth);
      label_line(out, "Valid To", expiry(*e.certificate, now), kWidth);
      label_line(out, "Private Key", e.certificate->has_private_key ? "Yes" : "No", kWidth);
    } else {
      label_line(out, "Cannot Be Opened", e.problem, kWidth);
    }
    out += "\n";
  }
  if (!ignored.empty()) {
    out += "Files not served (not named <hostname>.pfx):\n";
    for (const auto& name : ignored) out += "    " + name + "\n";
    out += "\n";
  }
  return out;
}

nlohmann::ordered_json ccs_entry_json(const store::CcsEntry& e, std::int64_t now) {
  nlohmann::ordered_json out = {{"hostname", e.hostname}, {"file", e.file_name}};
  if (e.certificate) {
    out["certhash"] = e.certificate->thumbprint.hex();
    out["subject"] = e.certificate->subject;
    out["dnsnames"] = e.certificate->dns_names;
    out["notafter"] = utc(e.certificate->not_after);
    out["expired"] = e.certificate->not_after < now;
    out["privatekey"] = e.certificate->has_private_key;
  } else {
    out["error"] = e.problem;
  }
  return out;
}

}  // namespace sslbind::cli
