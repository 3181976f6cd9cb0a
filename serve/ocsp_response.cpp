#include "serve/ocsp_response.hpp"

#include <openssl/http.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include <memory>

namespace sslbind::serve {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Response = std::unique_ptr<OCSP_RESPONSE, Deleter<OCSP_RESPONSE, OCSP_RESPONSE_free>>;
using Basic = std::unique_ptr<OCSP_BASICRESP, Deleter<OCSP_BASICRESP, OCSP_BASICRESP_free>>;
using CertId = std::unique_ptr<OCSP_CERTID, Deleter<OCSP_CERTID, OCSP_CERTID_free>>;
using Store = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;

void free_string(char* s) { OPENSSL_free(s); }
using OsslString = std::unique_ptr<char, Deleter<char, free_string>>;

std::int64_t seconds_of(const ASN1_GENERALIZEDTIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&tm));
}

std::int64_t not_after_of(X509* cert) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&tm));
}

// Responses may be a little ahead of or behind our clock; HAProxy and OpenSSL's own ocsp command allow 5 minutes.
constexpr long kClockSkew = 300;
constexpr std::size_t kMaxResponseBytes = 64 * 1024;

}  // namespace

X509* issuer_in(X509* cert, STACK_OF(X509) * chain) {
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
    X509* candidate = sk_X509_value(chain, i);
    if (X509_check_issued(candidate, cert) == X509_V_OK) return candidate;
  }
  return nullptr;
}

Result<std::string> ocsp_request(X509* cert, X509* issuer) {
  OCSP_REQUEST* request = OCSP_REQUEST_new();
  OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), cert, issuer);
  if (request == nullptr || id == nullptr || OCSP_request_add0_id(request, id) == nullptr) {
    OCSP_CERTID_free(id);
    OCSP_REQUEST_free(request);
    return invalid("OpenSSL could not make an OCSP request");
  }
  unsigned char* der = nullptr;
  const int size = i2d_OCSP_REQUEST(request, &der);
  OCSP_REQUEST_free(request);
  if (size <= 0) return invalid("OpenSSL could not encode an OCSP request");
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

Result<std::string> fetch_ocsp_response(const std::string& url, const std::string& request, int timeout_seconds) {
  char* host = nullptr;
  char* port = nullptr;
  char* path = nullptr;
  int tls = 0;
  if (OSSL_HTTP_parse_url(url.c_str(), &tls, nullptr, &host, &port, nullptr, &path, nullptr, nullptr) != 1) {
    return invalid("the OCSP responder " + url + " is not a URL OpenSSL reads");
  }
  const OsslString host_text(host), port_text(port), path_text(path);
  if (tls != 0) return invalid("the OCSP responder " + url + " is https; responders answer over http");
  Bio body(BIO_new_mem_buf(request.data(), static_cast<int>(request.size())));
  Bio answer(OSSL_HTTP_transfer(nullptr, host, port, path, 0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, 0,
                                nullptr, "application/ocsp-request", body.get(), "application/ocsp-response", 1,
                                kMaxResponseBytes, timeout_seconds, 0));
  if (!answer)
    return invalid("the OCSP responder " + url + " gave no answer within " + std::to_string(timeout_seconds) + " s");
  std::string out;
  char buffer[4096];
  int n = 0;
  while ((n = BIO_read(answer.get(), buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<std::size_t>(n));
  if (out.empty()) return invalid("the OCSP responder " + url + " answered with nothing");
  return out;
}

Result<OcspValidity> check_ocsp_response(std::string_view der, X509* cert, X509* issuer, std::int64_t now) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Response response(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(der.size())));
  if (!response) return invalid("the OCSP response is not DER OpenSSL reads");
  const int status = OCSP_response_status(response.get());
  if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
    return invalid(std::string("the OCSP responder answered ") + OCSP_response_status_str(status));
  }
  Basic basic(OCSP_response_get1_basic(response.get()));
  if (!basic) return invalid("the OCSP response has no basic response");
  // The issuer is the trust anchor: the response is signed by it, or by a responder it delegated (OCSPSigning).
  Store store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), issuer);
  X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
  STACK_OF(X509)* issuers = sk_X509_new_null();
  sk_X509_push(issuers, issuer);
  const int verified = OCSP_basic_verify(basic.get(), issuers, store.get(), 0);
  sk_X509_free(issuers);
  if (verified != 1) return invalid("the OCSP response is not signed by the certificate's issuer or its responder");
  CertId id(OCSP_cert_to_id(EVP_sha1(), cert, issuer));
  int cert_status = -1;
  int reason = 0;
  ASN1_GENERALIZEDTIME* revoked = nullptr;
  ASN1_GENERALIZEDTIME* this_update = nullptr;
  ASN1_GENERALIZEDTIME* next_update = nullptr;
  if (!id ||
      OCSP_resp_find_status(basic.get(), id.get(), &cert_status, &reason, &revoked, &this_update, &next_update) != 1) {
    return invalid("the OCSP response says nothing of this certificate");
  }
  if (cert_status != V_OCSP_CERTSTATUS_GOOD) {
    return invalid(std::string("the OCSP response says the certificate is ") + OCSP_cert_status_str(cert_status));
  }
  if (OCSP_check_validity(this_update, next_update, kClockSkew, -1) != 1) {
    return invalid("the OCSP response is not current (thisUpdate in the future or nextUpdate passed)");
  }
  OcspValidity validity{seconds_of(this_update), seconds_of(next_update)};
  // RFC 6960 allows no nextUpdate ("newer information is always available"): then it is refreshed within the hour.
  if (next_update == nullptr) validity.next_update = now + 3600;
  if (next_update != nullptr && validity.next_update > not_after_of(cert)) {
    return invalid("the OCSP response is valid past the certificate's expiry (its nextUpdate is later than notAfter)");
  }
  return validity;
}

}  // namespace sslbind::serve
