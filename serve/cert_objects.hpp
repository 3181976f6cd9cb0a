#pragma once
// A certificate as the front end serves it: the leaf, its private key and its chain as OpenSSL objects, shared and
// immutable. Handshakes apply it to their SSL object by reference (SSL_use_certificate and friends take a reference),
// so one copy serves every connection and an evicted entry lives on until its last connection ends.
#include <openssl/x509.h>

#include <cstddef>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "store/certificate_file.hpp"
#include "store/file_identity.hpp"

namespace sslbind::serve {

class CertObjects {
 public:
  CertObjects(X509* cert, EVP_PKEY* key, STACK_OF(X509) * chain, std::string thumbprint, std::int64_t not_after,
              std::size_t bytes);
  ~CertObjects();
  CertObjects(const CertObjects&) = delete;
  CertObjects& operator=(const CertObjects&) = delete;

  // Sets the certificate, key and chain on the connection. False when OpenSSL refuses (a key that does not match).
  bool apply(SSL* ssl) const;
  const std::string& thumbprint() const { return thumbprint_; }
  X509* certificate() const { return cert_; }  // shared: callers take their own reference to keep it
  STACK_OF(X509) * chain() const { return chain_; }
  std::int64_t not_after() const { return not_after_; }
  // DER bytes of the certificate, chain and key: the cache's measure of size.
  std::size_t bytes() const { return bytes_; }
  // The file it was read from as it was then (CCS files): a file that differs now has changed.
  const std::optional<store::FileIdentity>& file_identity() const { return file_identity_; }
  void set_file_identity(std::optional<store::FileIdentity> identity) { file_identity_ = identity; }

 private:
  X509* cert_;
  EVP_PKEY* key_;
  STACK_OF(X509) * chain_;
  std::string thumbprint_;
  std::int64_t not_after_;
  std::size_t bytes_;
  std::optional<store::FileIdentity> file_identity_;
};

// Decodes what the store read. InvalidParameter when there is no private key (HTTP.SYS cannot serve it either).
// `identity`: the file's identity taken before it was read, for CCS files.
Result<std::shared_ptr<const CertObjects>> make_cert_objects(
    const store::LoadedCertificate& loaded, std::optional<store::FileIdentity> identity = std::nullopt);

}  // namespace sslbind::serve
