#include "store/ocsp_fields.hpp"

#include <openssl/x509v3.h>

namespace sslbind::store {

std::optional<std::string> ocsp_responder(X509* cert) {
  STACK_OF(OPENSSL_STRING)* urls = X509_get1_ocsp(cert);
  std::optional<std::string> out;
  for (int i = 0; urls != nullptr && i < sk_OPENSSL_STRING_num(urls); ++i) {
    const std::string url = sk_OPENSSL_STRING_value(urls, i);
    if (url.starts_with("http://")) {
      out = url;
      break;
    }
  }
  X509_email_free(urls);
  return out;
}

bool must_staple(X509* cert) {
  auto* features = static_cast<TLS_FEATURE*>(X509_get_ext_d2i(cert, NID_tlsfeature, nullptr, nullptr));
  bool status_request = false;
  for (int i = 0; features != nullptr && i < sk_ASN1_INTEGER_num(features); ++i) {
    status_request = status_request || ASN1_INTEGER_get(sk_ASN1_INTEGER_value(features, i)) == 5;  // status_request
  }
  TLS_FEATURE_free(features);
  return status_request;
}

}  // namespace sslbind::store
