#include "core/name_match.hpp"

#include "core/text.hpp"

namespace sslbind {

bool hostname_matches(std::string_view pattern, std::string_view host) {
  if (pattern.starts_with("*.")) {
    const std::size_t dot = host.find('.');
    if (dot == std::string_view::npos || dot == 0) return false;
    return text::iequals(pattern.substr(1), host.substr(dot));
  }
  return text::iequals(pattern, host);
}

std::string_view common_name(const CertificateInfo& certificate) {
  // Subjects are in RFC 2253 order, "CN=www.contoso.com, O=Contoso".
  std::string_view subject = certificate.subject;
  for (std::size_t start = 0; start < subject.size();) {
    std::size_t end = subject.find(", ", start);
    if (end == std::string_view::npos) end = subject.size();
    const std::string_view part = subject.substr(start, end - start);
    if (part.starts_with("CN=")) return part.substr(3);
    start = end + 2;
  }
  return {};
}

bool certificate_covers(const CertificateInfo& certificate, std::string_view host) {
  for (const auto& name : certificate.dns_names) {
    if (hostname_matches(name, host)) return true;
  }
  if (!certificate.dns_names.empty()) return false;
  const std::string_view cn = common_name(certificate);
  return !cn.empty() && hostname_matches(cn, host);
}

}  // namespace sslbind
