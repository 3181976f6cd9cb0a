#pragma once
// OCSP for stapling: the request for a certificate, its fetch from the responder the certificate names, and the
// checks a response must pass before a client sees it. Runs on loader threads, never in a handshake.
#include <openssl/x509.h>

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sslbind::serve {

// The certificate of `chain` that issued `cert`, or null (then there is nothing to staple: the request needs it).
X509* issuer_in(X509* cert, STACK_OF(X509) * chain);

// DER of an OCSP request for `cert`.
Result<std::string> ocsp_request(X509* cert, X509* issuer);
// POSTs the request to `url` (http only; a responder is plain HTTP by RFC 6960) within `timeout_seconds`.
Result<std::string> fetch_ocsp_response(const std::string& url, const std::string& request, int timeout_seconds);

struct OcspValidity {
  std::int64_t this_update = 0;  // seconds since the epoch
  std::int64_t next_update = 0;
};
// A response fit to staple for `cert`: successful, signed by its issuer or a responder the issuer delegated, "good"
// for this certificate, current at `now`, and with no nextUpdate past the certificate's expiry (a response that
// outlives its certificate is refused, as certmagic refuses it). The error says which rule failed.
Result<OcspValidity> check_ocsp_response(std::string_view der, X509* cert, X509* issuer, std::int64_t now);

}  // namespace sslbind::serve
