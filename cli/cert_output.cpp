#include "cli/cert_output.hpp"

#include <ctime>

#include "cli/format.hpp"

namespace sslbind::cli {

std::string certificate_text(const store::StoredCertificate& c, std::int64_t now) {
  std::string out;
  label_line(out, "Certificate Store Name", c.store);
  label_line(out, "Thumbprint", c.info.thumbprint.hex());
  label_line(out, "Subject", c.info.subject);
  label_line(out, "DNS Names", joined(c.info.dns_names));
  if (!c.info.ip_addresses.empty()) label_line(out, "IP Addresses", joined(c.info.ip_addresses));
  label_line(out, "Issuer", c.info.issuer);
  label_line(out, "Valid From", utc(c.info.not_before));
  label_line(out, "Valid To", utc(c.info.not_after) + (c.info.not_after < now ? " (expired)" : ""));
  label_line(out, "Key Type", c.info.key_type);
  label_line(out, "Private Key", c.info.has_private_key ? "Yes" : "No");
  return out + "\n";
}

nlohmann::ordered_json certificate_json(const store::StoredCertificate& c, std::int64_t now) {
  return {{"certstorename", c.store},
          {"certhash", c.info.thumbprint.hex()},
          {"subject", c.info.subject},
          {"dnsnames", c.info.dns_names},
          {"ipaddresses", c.info.ip_addresses},
          {"issuer", c.info.issuer},
          {"notbefore", utc(c.info.not_before)},
          {"notafter", utc(c.info.not_after)},
          {"expired", c.info.not_after < now},
          {"keytype", c.info.key_type},
          {"privatekey", c.info.has_private_key}};
}

}  // namespace sslbind::cli
