#pragma once
// Reads certificates with OpenSSL: PEM (certificate, optional key in the same or a separate file) and PFX/PKCS#12
// (with or without password). Errors name the file and what OpenSSL could not do.
#include <filesystem>
#include <optional>
#include <string>

#include "core/certificate_info.hpp"
#include "core/result.hpp"

namespace sslbind::store {

struct CertificateSource {
  std::filesystem::path file;                     // .pfx/.p12 read as PKCS#12, anything else as PEM
  std::optional<std::filesystem::path> key_file;  // PEM only: the private key, when not in `file`
  std::string password;                           // PFX password, or the PEM key's pass phrase; may be empty
};

Result<CertificateInfo> read_certificate(const CertificateSource& source);

// The certificate and its key (if any) re-encoded as PEM, for a store to keep.
struct LoadedCertificate {
  CertificateInfo info;
  std::string certificate_pem;
  std::string private_key_pem;  // empty without a key; unencrypted, so the store writes it with mode 0600
  std::string chain_pem;        // the issuers that came with it (PFX bag or PEM bundle), leaf first; may be empty
};
Result<LoadedCertificate> load_certificate(const CertificateSource& source);

}  // namespace sslbind::store
