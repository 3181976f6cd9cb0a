#pragma once
// What a certificate says of OCSP: the responder it names, and whether it asks for a staple (Must-Staple). Read by
// the stores (for check) and by serve (to staple).
#include <openssl/x509.h>

#include <optional>
#include <string>

namespace sslbind::store {

// The first OCSP responder of the certificate's Authority Information Access, if it names one over http.
std::optional<std::string> ocsp_responder(X509* cert);
// Whether the certificate asks for a staple (the TLS Feature extension with status_request, "Must-Staple").
bool must_staple(X509* cert);

}  // namespace sslbind::store
