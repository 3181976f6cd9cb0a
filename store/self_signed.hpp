#pragma once
// A self-signed server certificate, as a hosting front end installs for its catch-all binding (the "Default"
// certificate of Windows Azure Pack's front end).
#include <string_view>

#include "core/result.hpp"
#include "store/certificate_file.hpp"

namespace sslbind::store {

// RSA 2048 with SHA-256, CN=<common_name>, valid from now for `days`, usable for TLS server authentication.
Result<LoadedCertificate> make_self_signed(std::string_view common_name, int days);

}  // namespace sslbind::store
