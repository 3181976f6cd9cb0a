#pragma once
// What sslbind knows of a certificate once a store or the CCS provider has read it.
#include <cstdint>
#include <string>
#include <vector>

#include "core/thumbprint.hpp"

namespace sslbind {

struct CertificateInfo {
  Thumbprint thumbprint = Thumbprint::from_bytes({});  // SHA-1 of the DER certificate, as Windows shows it
  std::string subject;                                 // "CN=www.contoso.com, O=Contoso", most specific first
  std::string issuer;
  std::vector<std::string> dns_names;     // subjectAltName DNS entries, in certificate order
  std::vector<std::string> ip_addresses;  // subjectAltName IP entries
  std::int64_t not_before = 0;            // seconds since the epoch, UTC
  std::int64_t not_after = 0;
  std::string key_type;          // "RSA 2048", "EC P-256", "ED25519"
  bool has_private_key = false;  // a private key came with it and matches the certificate
  bool must_staple = false;      // the TLS Feature extension asks for a stapled OCSP response
  bool names_ocsp_responder = false;
};

}  // namespace sslbind
