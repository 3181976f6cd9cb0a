#include "serve/client_certificate.hpp"

#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>

#include "serve/arr_ssl.hpp"
#include "store/base64.hpp"

namespace sslbind::serve {
namespace {

struct StoreCtxFree {
  void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); }
};
using StoreCtx = std::unique_ptr<X509_STORE_CTX, StoreCtxFree>;
struct CrlStackFree {
  void operator()(STACK_OF(X509_CRL) * s) const { sk_X509_CRL_free(s); }  // the CRLs belong to the caller
};
using CrlStack = std::unique_ptr<STACK_OF(X509_CRL), CrlStackFree>;

std::string der_base64(X509* cert) {
  unsigned char* der = nullptr;
  const int size = i2d_X509(cert, &der);
  if (size <= 0) return {};
  std::string out = store::base64({der, static_cast<std::size_t>(size)});
  OPENSSL_free(der);
  return out;
}

bool self_issued(X509* cert) { return X509_check_issued(cert, cert) == X509_V_OK; }

// OpenSSL asks for a CRL for every certificate of the chain once CRL checking is on. One that names no distribution
// point has none to ask for (nginx's ssl_crl would refuse it; HTTP.SYS, which follows the certificate, does not), and
// neither has the trust anchor: those two are let through, every other error stands.
int tolerate_certificates_without_crl(int ok, X509_STORE_CTX* ctx) {
  if (ok == 1) return 1;
  if (X509_STORE_CTX_get_error(ctx) != X509_V_ERR_UNABLE_TO_GET_CRL) return 0;
  X509* cert = X509_STORE_CTX_get_current_cert(ctx);
  if (cert == nullptr) return 0;
  if (crl_locations(cert).empty() || self_issued(cert)) {
    X509_STORE_CTX_set_error(ctx, X509_V_OK);
    return 1;
  }
  return 0;
}

StoreCtx context_for(X509* leaf, STACK_OF(X509) * sent, X509_STORE* trust, bool check_usage) {
  StoreCtx ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), trust, leaf, sent) != 1) return nullptr;
  // A client certificate that limits its use must allow client authentication (RFC 5280, 4.2.1.12), as HTTP.SYS's
  // usage check requires.
  if (check_usage) X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
  return ctx;
}

std::string verify_problem(X509_STORE_CTX* ctx) {
  const int error = X509_STORE_CTX_get_error(ctx);
  std::string problem = X509_verify_cert_error_string(error);
  if (X509* at = X509_STORE_CTX_get_current_cert(ctx); at != nullptr) {
    problem += " (at " + windows_name_text(X509_get_subject_name(at)) + ")";
  }
  return problem;
}

}  // namespace

ClientCertPolicy client_cert_policy(const SslSettings& settings) {
  ClientCertPolicy p;
  p.trusted_list = settings.ctl_store_name.value_or("Root");
  p.check_usage = (settings.check_mode & check_mode::kNoUsageCheck) == 0;
  p.check_revocation = (settings.check_mode & check_mode::kNoRevocationCheck) == 0;
  p.crl.cached_only = (settings.check_mode & check_mode::kCachedRevocationOnly) != 0;
  if ((settings.check_mode & check_mode::kFreshnessTimeEnabled) != 0) {
    p.crl.freshness_seconds = settings.revocation_freshness_time;
  }
  p.crl.timeout_ms = settings.url_retrieval_timeout;
  return p;
}

std::vector<std::string> crl_locations(X509* cert) {
  std::vector<std::string> out;
  auto* points = static_cast<CRL_DIST_POINTS*>(X509_get_ext_d2i(cert, NID_crl_distribution_points, nullptr, nullptr));
  if (points == nullptr) return out;
  for (int i = 0; i < sk_DIST_POINT_num(points); ++i) {
    const DIST_POINT* point = sk_DIST_POINT_value(points, i);
    if (point->distpoint == nullptr || point->distpoint->type != 0) continue;  // a full name, not one relative
    const GENERAL_NAMES* names = point->distpoint->name.fullname;
    for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, j);
      if (name->type != GEN_URI) continue;
      const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
      std::string url(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                      static_cast<std::size_t>(ASN1_STRING_length(uri)));
      // LDAP locations (Active Directory CAs name one first) are left to the http one beside them.
      if (url.starts_with("http://") && std::find(out.begin(), out.end(), url) == out.end()) out.push_back(url);
    }
  }
  CRL_DIST_POINTS_free(points);
  return out;
}

ChainCheck check_chain(X509* leaf, STACK_OF(X509) * sent, X509_STORE* trust, bool check_usage) {
  ChainCheck out;
  ClientCertificate& c = out.certificate;
  c.der_base64 = der_base64(leaf);
  c.subject = windows_name_text(X509_get_subject_name(leaf));
  for (int i = 0; sent != nullptr && i < sk_X509_num(sent); ++i) {
    X509* cert = sk_X509_value(sent, i);
    if (X509_cmp(cert, leaf) != 0) c.chain_base64.push_back(der_base64(cert));
  }
  StoreCtx ctx = context_for(leaf, sent, trust, check_usage);
  if (!ctx) {
    c.problem = "the certificate could not be checked";
    return out;
  }
  if (X509_verify_cert(ctx.get()) != 1) {
    c.problem = verify_problem(ctx.get());
    return out;
  }
  c.verdict = ClientCertificate::Verdict::Trusted;
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  for (int i = 0; i + 1 < sk_X509_num(chain); ++i) {
    for (std::string& url : crl_locations(sk_X509_value(chain, i))) {
      if (std::find(out.crl_urls.begin(), out.crl_urls.end(), url) == out.crl_urls.end()) {
        out.crl_urls.push_back(std::move(url));
      }
    }
  }
  return out;
}

void check_revocation(ClientCertificate& certificate, X509* leaf, STACK_OF(X509) * sent, X509_STORE* trust,
                      bool check_usage, const std::vector<X509_CRL*>& crls) {
  if (certificate.verdict != ClientCertificate::Verdict::Trusted) return;
  StoreCtx ctx = context_for(leaf, sent, trust, check_usage);
  CrlStack stack(sk_X509_CRL_new_null());
  if (!ctx || !stack) {
    certificate.verdict = ClientCertificate::Verdict::Untrusted;
    certificate.problem = "the certificate's revocation could not be checked";
    return;
  }
  for (X509_CRL* crl : crls) sk_X509_CRL_push(stack.get(), crl);
  X509_STORE_CTX_set0_crls(ctx.get(), stack.get());
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  X509_STORE_CTX_set_verify_cb(ctx.get(), tolerate_certificates_without_crl);
  if (X509_verify_cert(ctx.get()) == 1) return;
  const bool revoked = X509_STORE_CTX_get_error(ctx.get()) == X509_V_ERR_CERT_REVOKED;
  certificate.verdict = revoked ? ClientCertificate::Verdict::Revoked : ClientCertificate::Verdict::Untrusted;
  certificate.problem = verify_problem(ctx.get());
}

Failure refusal_of(const ClientCertificate& certificate) {
  return certificate.verdict == ClientCertificate::Verdict::Revoked ? Failure::ClientCertificateRevoked
                                                                    : Failure::ClientCertificateUntrusted;
}

std::string client_cert_field(const ClientCertificate& certificate) { return ":" + certificate.der_base64 + ":"; }

std::string client_cert_chain_field(const ClientCertificate& certificate) {
  std::string out;
  for (const std::string& der : certificate.chain_base64) out += (out.empty() ? ":" : ", :") + der + ":";
  return out;
}

}  // namespace sslbind::serve
