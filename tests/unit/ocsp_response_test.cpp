// The checks an OCSP response passes before it is stapled, on responses signed here by a test CA: good and current
// passes; stale, not yet valid, revoked, outliving the certificate, for another certificate or signed by another key
// does not.
#include "serve/ocsp_response.hpp"

#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

using namespace sslbind;

namespace {

struct Key {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  ~Key() { EVP_PKEY_free(key); }
};

struct Cert {
  X509* x = X509_new();
  ~Cert() { X509_free(x); }
};

// A certificate for `cn` valid from now + from to now + to seconds, signed by `issuer` (itself when null).
void make(Cert& c, const Key& k, const char* cn, long from, long to, const Cert* issuer, const Key& signer,
          long serial) {
  ASN1_INTEGER_set(X509_get_serialNumber(c.x), serial);
  X509_set_version(c.x, 2);
  X509_gmtime_adj(X509_getm_notBefore(c.x), from);
  X509_gmtime_adj(X509_getm_notAfter(c.x), to);
  X509_NAME* name = X509_get_subject_name(c.x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_issuer_name(c.x, issuer != nullptr ? X509_get_subject_name(issuer->x) : name);
  X509_set_pubkey(c.x, k.key);
  X509_sign(c.x, signer.key, EVP_sha256());
}

// DER of a successful response about `cert`, signed by `signer_cert`/`signer_key`.
std::string response(X509* cert, X509* issuer, X509* signer_cert, EVP_PKEY* signer_key, int status, long this_from_now,
                     long next_from_now) {
  OCSP_BASICRESP* basic = OCSP_BASICRESP_new();
  OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), cert, issuer);
  ASN1_TIME* this_update = X509_gmtime_adj(nullptr, this_from_now);
  ASN1_TIME* next_update = X509_gmtime_adj(nullptr, next_from_now);
  ASN1_TIME* revoked = status == V_OCSP_CERTSTATUS_REVOKED ? X509_gmtime_adj(nullptr, -3600) : nullptr;
  OCSP_basic_add1_status(basic, id, status, OCSP_REVOKED_STATUS_KEYCOMPROMISE, revoked, this_update, next_update);
  OCSP_basic_sign(basic, signer_cert, signer_key, EVP_sha256(), nullptr, 0);
  OCSP_RESPONSE* resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic);
  unsigned char* der = nullptr;
  const int size = i2d_OCSP_RESPONSE(resp, &der);
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  OCSP_RESPONSE_free(resp);
  OCSP_BASICRESP_free(basic);
  OCSP_CERTID_free(id);
  ASN1_TIME_free(this_update);
  ASN1_TIME_free(next_update);
  ASN1_TIME_free(revoked);
  return out;
}

constexpr long kDay = 24 * 3600;

}  // namespace

TEST_CASE("ocsp: a response is stapled only when it is good, current, signed by the issuer and within the cert") {
  Key ca_key, leaf_key, other_key, rogue_key;
  Cert ca, leaf, other, rogue;
  make(ca, ca_key, "test CA", -kDay, 30 * kDay, nullptr, ca_key, 1);
  make(leaf, leaf_key, "leaf.test", -kDay, 10 * kDay, &ca, ca_key, 2);
  make(other, other_key, "other.test", -kDay, 10 * kDay, &ca, ca_key, 3);
  make(rogue, rogue_key, "not the CA", -kDay, 30 * kDay, nullptr, rogue_key, 4);
  const std::int64_t now = std::time(nullptr);

  auto good = serve::check_ocsp_response(response(leaf.x, ca.x, ca.x, ca_key.key, V_OCSP_CERTSTATUS_GOOD, -60, kDay),
                                         leaf.x, ca.x, now);
  REQUIRE(good);
  CHECK(good->next_update - good->this_update == kDay + 60);

  const auto refused = [&](const std::string& der) {
    auto r = serve::check_ocsp_response(der, leaf.x, ca.x, now);
    REQUIRE_FALSE(r);
    return r.error().detail;
  };
  CHECK(refused(response(leaf.x, ca.x, ca.x, ca_key.key, V_OCSP_CERTSTATUS_GOOD, -2 * kDay, -kDay)) ==
        "the OCSP response is not current (thisUpdate in the future or nextUpdate passed)");
  CHECK(refused(response(leaf.x, ca.x, ca.x, ca_key.key, V_OCSP_CERTSTATUS_GOOD, kDay, 2 * kDay)) ==
        "the OCSP response is not current (thisUpdate in the future or nextUpdate passed)");
  CHECK(refused(response(leaf.x, ca.x, ca.x, ca_key.key, V_OCSP_CERTSTATUS_REVOKED, -60, kDay)) ==
        "the OCSP response says the certificate is revoked");
  CHECK(refused(response(leaf.x, ca.x, ca.x, ca_key.key, V_OCSP_CERTSTATUS_GOOD, -60, 20 * kDay)) ==
        "the OCSP response is valid past the certificate's expiry (its nextUpdate is later than notAfter)");
  CHECK(refused(response(other.x, ca.x, ca.x, ca_key.key, V_OCSP_CERTSTATUS_GOOD, -60, kDay)) ==
        "the OCSP response says nothing of this certificate");
  CHECK(refused(response(leaf.x, ca.x, rogue.x, rogue_key.key, V_OCSP_CERTSTATUS_GOOD, -60, kDay)) ==
        "the OCSP response is not signed by the certificate's issuer or its responder");
  CHECK(refused("not DER") == "the OCSP response is not DER OpenSSL reads");
  std::string cut = response(leaf.x, ca.x, ca.x, ca_key.key, V_OCSP_CERTSTATUS_GOOD, -60, kDay);
  cut.resize(cut.size() / 2);
  CHECK(refused(cut) == "the OCSP response is not DER OpenSSL reads");

  // The issuer is found in the chain by signature, not by name alone.
  STACK_OF(X509)* chain = sk_X509_new_null();
  sk_X509_push(chain, rogue.x);
  CHECK(serve::issuer_in(leaf.x, chain) == nullptr);
  sk_X509_push(chain, ca.x);
  CHECK(serve::issuer_in(leaf.x, chain) == ca.x);
  sk_X509_free(chain);
}
