#pragma once
// Whether a certificate is valid for a host name, as TLS clients decide it (RFC 6125): the DNS names of the
// subjectAltName, a "*." name covering exactly one label; the subject's CN only when there are no DNS names.
#include <string_view>

#include "core/certificate_info.hpp"

namespace sslbind {

bool hostname_matches(std::string_view pattern, std::string_view host);
bool certificate_covers(const CertificateInfo& certificate, std::string_view host);
// The subject's CN, or empty.
std::string_view common_name(const CertificateInfo& certificate);

}  // namespace sslbind
