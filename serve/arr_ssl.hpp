#pragma once
// X-ARR-SSL, as ARR sends it to web workers: "<key bits>|<cipher bits>|<issuer>|<subject>" of the certificate that
// served the connection. Apps moved off IIS detect HTTPS by it, and some read the subject's parts.
//
// The names are written as Windows' CertNameToStr writes them with CERT_X500_NAME_STR (Microsoft's documentation of
// CertNameToStrW lists the attribute keys; a public capture of ARR's header reads
// "C=NO, L=Drammen, O=HS, OU=STHF, CN=abc.xyz.com"): the relative names in the certificate's own order (for most
// certificates C first, CN last), ", " between them, " + " inside a multi-valued one, Windows' keys (S for the state,
// E for an e-mail address, OID.<dotted> for a type it has no key for), and a value quoted with doubled quotes when it
// holds a character the syntax uses or starts or ends with a space.
#include <openssl/types.h>

#include <string>

namespace sslbind::serve {

std::string arr_ssl_value(SSL* ssl);
// One distinguished name in that form; '|' (the header's separator) becomes a space.
std::string windows_name_text(const X509_NAME* name);

}  // namespace sslbind::serve
