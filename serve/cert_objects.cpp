#include "serve/cert_objects.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace sslbind::serve {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

Bio memory(const std::string& text) { return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size()))); }

}  // namespace

CertObjects::CertObjects(X509* cert, EVP_PKEY* key, STACK_OF(X509) * chain, std::string thumbprint,
                         std::int64_t not_after, std::size_t bytes)
    : cert_(cert), key_(key), chain_(chain), thumbprint_(std::move(thumbprint)), not_after_(not_after), bytes_(bytes) {}

CertObjects::~CertObjects() {
  X509_free(cert_);
  EVP_PKEY_free(key_);
  sk_X509_pop_free(chain_, X509_free);
}

bool CertObjects::apply(SSL* ssl) const {
  if (SSL_use_certificate(ssl, cert_) != 1 || SSL_use_PrivateKey(ssl, key_) != 1) return false;
  // A certificate without intermediates needs no chain: setting an empty one would give every connection a copy.
  return sk_X509_num(chain_) == 0 || SSL_set1_chain(ssl, chain_) == 1;
}

Result<std::shared_ptr<const CertObjects>> make_cert_objects(const store::LoadedCertificate& loaded,
                                                             std::optional<store::FileIdentity> identity) {
  if (loaded.private_key_pem.empty()) {
    return invalid("certificate " + loaded.info.thumbprint.hex() + " has no private key: it cannot be served");
  }
  auto cert_bio = memory(loaded.certificate_pem);
  X509* cert = PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr);
  auto key_bio = memory(loaded.private_key_pem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr);
  STACK_OF(X509)* chain = sk_X509_new_null();
  auto chain_bio = memory(loaded.chain_pem);
  std::size_t bytes = 0;
  while (X509* issuer = PEM_read_bio_X509(chain_bio.get(), nullptr, nullptr, nullptr)) {
    bytes += static_cast<std::size_t>(i2d_X509(issuer, nullptr));
    sk_X509_push(chain, issuer);
  }
  ERR_clear_error();  // the end of the chain reads as an error
  if (cert == nullptr || key == nullptr) {
    X509_free(cert);
    EVP_PKEY_free(key);
    sk_X509_pop_free(chain, X509_free);
    return invalid("certificate " + loaded.info.thumbprint.hex() + " cannot be decoded");
  }
  bytes += static_cast<std::size_t>(i2d_X509(cert, nullptr)) + static_cast<std::size_t>(i2d_PrivateKey(key, nullptr));
  auto objects =
      std::make_shared<CertObjects>(cert, key, chain, loaded.info.thumbprint.hex(), loaded.info.not_after, bytes);
  objects->set_file_identity(identity);
  return std::shared_ptr<const CertObjects>(std::move(objects));
}

}  // namespace sslbind::serve
