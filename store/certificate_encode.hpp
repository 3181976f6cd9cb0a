#pragma once
// Re-encoding of certificates held as OpenSSL objects (not a public interface: only store/ sees OpenSSL's types).
#include <openssl/types.h>

#include "store/certificate_file.hpp"

namespace sslbind::store {

// A certificate (and key, which may be null) held in memory, described and re-encoded.
LoadedCertificate encode_certificate(X509* cert, EVP_PKEY* key);

}  // namespace sslbind::store
