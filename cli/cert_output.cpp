#include "cli/cert_output.hpp"

#include <ctime>

namespace sslbind::cli {
namespace {

std::string utc(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out.empty() ? "(none)" : out;
}

void line(std::string& out, std::string_view label, const std::string& value) {
  out += "    ";
  out += label;
  out.append(label.size() < 23 ? 23 - label.size() : 1, ' ');
  out += ": " + value + "\n";
}

}  // namespace

std::string certificate_text(const store::StoredCertificate& c) {
  std::string out;
  line(out, "Certificate Store Name", c.store);
  line(out, "Thumbprint", c.info.thumbprint.hex());
  line(out, "Subject", c.info.subject);
  line(out, "DNS Names", joined(c.info.dns_names));
  if (!c.info.ip_addresses.empty()) line(out, "IP Addresses", joined(c.info.ip_addresses));
  line(out, "Issuer", c.info.issuer);
  line(out, "Valid From", utc(c.info.not_before));
  line(out, "Valid To", utc(c.info.not_after));
  line(out, "Key Type", c.info.key_type);
  line(out, "Private Key", c.info.has_private_key ? "Yes" : "No");
  return out + "\n";
}

nlohmann::ordered_json certificate_json(const store::StoredCertificate& c) {
  return {{"certstorename", c.store},
          {"certhash", c.info.thumbprint.hex()},
          {"subject", c.info.subject},
          {"dnsnames", c.info.dns_names},
          {"ipaddresses", c.info.ip_addresses},
          {"issuer", c.info.issuer},
          {"notbefore", utc(c.info.not_before)},
          {"notafter", utc(c.info.not_after)},
          {"keytype", c.info.key_type},
          {"privatekey", c.info.has_private_key}};
}

}  // namespace sslbind::cli
