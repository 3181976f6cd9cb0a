#pragma once
// A self-signed server certificate, as a hosting front end installs for its catch-all binding (the "Default"
// certificate of Windows Azure Pack's front end).
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/certificate_file.hpp"

namespace sslbind::store {

struct SelfSignedSpec {
  std::string common_name;
  std::vector<std::string> dns_names;  // subjectAltName; none for a certificate like "Default"
  std::int64_t valid_from = 0;         // seconds from now (negative: in the past)
  std::int64_t valid_to = 0;           // seconds from now
};

// RSA 2048 with SHA-256, usable for TLS server authentication.
Result<LoadedCertificate> make_self_signed(const SelfSignedSpec& spec);

}  // namespace sslbind::store
