#pragma once
// A client certificate judged as HTTP.SYS judges one for clientcertnegotiation (docs/client-certificates.md): its
// chain must end at a certificate of the binding's trusted list (the store sslctlstorename names, Root when it names
// none), and, unless verifyclientcertrevocation is disabled, no certificate of the chain may be revoked by the CRL
// its distribution point names. The verdict, not the handshake, carries the result: HTTP.SYS completes the handshake
// and IIS answers the request 403.16 (untrusted or invalid) or 403.13 (revoked). What a trusted one tells the web
// worker is made here too: X-ARR-ClientCert as ARR sends it, RFC 9440's Client-Cert and Client-Cert-Chain.
// No I/O: the CRLs are fetched by crl_cache.hpp before the second step.
#include <openssl/x509.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/binding.hpp"
#include "serve/crl_cache.hpp"
#include "serve/stats.hpp"

namespace sslbind::serve {

// What a binding's options ask of its client certificates.
struct ClientCertPolicy {
  std::string trusted_list;      // the store of trusted issuers: sslctlstorename, else Root
  bool check_usage = true;       // an extended key usage must allow client authentication, unless usagecheck=disable
  bool check_revocation = true;  // unless verifyclientcertrevocation=disable
  CrlPolicy crl;
};
ClientCertPolicy client_cert_policy(const SslSettings& settings);

struct ClientCertificate {
  enum class Verdict { Trusted, Untrusted, Revoked };
  Verdict verdict = Verdict::Untrusted;
  std::string problem;                    // why it is not trusted, for the log
  std::string der_base64;                 // the certificate's DER in base64 (RFC 4648, padded, one line)
  std::vector<std::string> chain_base64;  // the certificates the client sent with it, leaf excluded, in its order
  std::string subject;                    // for the log: the subject in Windows' form
};

// Step one: the chain to the trusted list, without revocation. An untrusted certificate is final; a trusted one
// comes back with the CRL locations (http URLs) its chain names, leaf and intermediates, the trust anchor left out.
struct ChainCheck {
  ClientCertificate certificate;
  std::vector<std::string> crl_urls;
};
ChainCheck check_chain(X509* leaf, STACK_OF(X509) * sent, X509_STORE* trust, bool check_usage);

// Step two: revocation with the CRLs fetched for step one's URLs (any may be missing: a certificate that names a
// distribution point whose CRL could not be had is of unknown status, which HTTP.SYS treats as untrusted). A
// certificate that names no distribution point has nothing to check.
void check_revocation(ClientCertificate& certificate, X509* leaf, STACK_OF(X509) * sent, X509_STORE* trust,
                      bool check_usage, const std::vector<X509_CRL*>& crls);

// The http(s) locations of a certificate's CRL distribution points, in its order.
std::vector<std::string> crl_locations(X509* cert);

// How a refused certificate is counted: IIS's 403.13 (revoked) or 403.16 (untrusted or invalid).
Failure refusal_of(const ClientCertificate& certificate);

// The forwarding fields' values. X-ARR-ClientCert: the base64 of the DER, as ARR and App Service send it (ASP.NET
// Core's certificate forwarding reads it with Convert.FromBase64String). RFC 9440: a Structured Field byte sequence,
// ":<base64>:", and for the chain a list of them.
std::string client_cert_field(const ClientCertificate& certificate);
std::string client_cert_chain_field(const ClientCertificate& certificate);

}  // namespace sslbind::serve
