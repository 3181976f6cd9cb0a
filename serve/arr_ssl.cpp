#include "serve/arr_ssl.hpp"

#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace sslbind::serve {
namespace {

// RFC 2253 order (most specific first), separated by ", " as Windows shows a distinguished name.
std::string name_text(const X509_NAME* name) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr) return "";
  const unsigned long flags = (XN_FLAG_RFC2253 & ~XN_FLAG_SEP_MASK & ~ASN1_STRFLGS_ESC_MSB) | XN_FLAG_SEP_CPLUS_SPC;
  X509_NAME_print_ex(bio, name, 0, flags);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(size > 0 ? size : 0));
  BIO_free(bio);
  // '|' separates the fields of the header: a name holding one keeps the header parseable without it.
  for (char& c : out) {
    if (c == '|') c = ' ';
  }
  return out;
}

}  // namespace

std::string arr_ssl_value(SSL* ssl) {
  X509* certificate = SSL_get_certificate(ssl);
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
  if (certificate == nullptr || cipher == nullptr) return "";
  EVP_PKEY* key = X509_get0_pubkey(certificate);
  const int key_bits = key != nullptr ? EVP_PKEY_get_bits(key) : 0;
  const int cipher_bits = SSL_CIPHER_get_bits(cipher, nullptr);
  return std::to_string(key_bits) + "|" + std::to_string(cipher_bits) + "|" +
         name_text(X509_get_issuer_name(certificate)) + "|" + name_text(X509_get_subject_name(certificate));
}

}  // namespace sslbind::serve
