// Client certificates judged as HTTP.SYS judges them, on certificates and CRLs made here: the chain to the trusted
// list, the usage, revocation by the CRL of each distribution point (signed, current, listing or not), a certificate
// with no distribution point, the forwarding fields' form; the CRL cache with fetches the test counts and fails.
#include "serve/client_certificate.hpp"
#include "serve/trust_stores.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/within.hpp"

#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <condition_variable>
#include <ctime>
#include <mutex>

using namespace sslbind;
using namespace sslbind::serve;
using namespace std::chrono_literals;

namespace {

constexpr long kDay = 24 * 3600;

struct Key {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  ~Key() { EVP_PKEY_free(key); }
};

struct Cert {
  X509* x = X509_new();
  ~Cert() { X509_free(x); }
};

void extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  REQUIRE(ext != nullptr);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `cn`, valid from yesterday for `days`, issued by `issuer` (itself when null) with `extensions`.
void make(Cert& c, const Key& k, const char* cn, const Cert* issuer, const Key& signer, long serial,
          const std::vector<std::pair<int, std::string>>& extensions, long days = 10) {
  ASN1_INTEGER_set(X509_get_serialNumber(c.x), serial);
  X509_set_version(c.x, 2);
  X509_gmtime_adj(X509_getm_notBefore(c.x), -kDay);
  X509_gmtime_adj(X509_getm_notAfter(c.x), days * kDay);
  X509_NAME* name = X509_get_subject_name(c.x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_issuer_name(c.x, issuer != nullptr ? X509_get_subject_name(issuer->x) : name);
  X509_set_pubkey(c.x, k.key);
  for (const auto& [nid, value] : extensions) extension(c.x, issuer != nullptr ? issuer->x : c.x, nid, value);
  X509_sign(c.x, signer.key, EVP_sha256());
}

constexpr const char* kUrl = "http://127.0.0.1:9/issuer.crl";

// A CRL of `issuer` listing `revoked` serials, current from `from` to `to` seconds from now.
CrlCache::Crl crl(const Cert& issuer, const Key& key, const std::vector<long>& revoked, long from = -60,
                  long to = kDay) {
  X509_CRL* c = X509_CRL_new();
  X509_CRL_set_version(c, 1);
  X509_CRL_set_issuer_name(c, X509_get_subject_name(issuer.x));
  ASN1_TIME* last = X509_gmtime_adj(nullptr, from);
  ASN1_TIME* next = X509_gmtime_adj(nullptr, to);
  X509_CRL_set1_lastUpdate(c, last);
  X509_CRL_set1_nextUpdate(c, next);
  for (long serial : revoked) {
    X509_REVOKED* r = X509_REVOKED_new();
    ASN1_INTEGER* s = ASN1_INTEGER_new();
    ASN1_INTEGER_set(s, serial);
    X509_REVOKED_set_serialNumber(r, s);
    X509_REVOKED_set_revocationDate(r, last);
    X509_CRL_add0_revoked(c, r);
    ASN1_INTEGER_free(s);
  }
  X509_CRL_sort(c);
  X509_CRL_sign(c, key.key, EVP_sha256());
  ASN1_TIME_free(last);
  ASN1_TIME_free(next);
  return CrlCache::Crl(c, X509_CRL_free);
}

std::string der_of(const CrlCache::Crl& c) {
  unsigned char* der = nullptr;
  const int size = i2d_X509_CRL(c.get(), &der);
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

std::string pem_of(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return out;
}

// A root, an issuing CA below it, and client certificates the issuing CA signed.
struct Pki {
  Key root_key, issuer_key, alice_key, bob_key, plain_key, server_key;
  Cert root, issuer, alice, bob, plain, server;
  TrustStores::Store trust;

  Pki() {
    const std::pair<int, std::string> ca{NID_basic_constraints, "critical,CA:TRUE"};
    const std::pair<int, std::string> client{NID_ext_key_usage, "clientAuth"};
    const std::pair<int, std::string> cdp{NID_crl_distribution_points, std::string("URI:") + kUrl};
    make(root, root_key, "root", nullptr, root_key, 1, {ca});
    make(issuer, issuer_key, "issuer", &root, root_key, 2, {ca});
    make(alice, alice_key, "alice", &issuer, issuer_key, 10, {client, cdp});
    make(bob, bob_key, "bob", &issuer, issuer_key, 11, {client, cdp});
    make(plain, plain_key, "plain", &issuer, issuer_key, 12, {client});
    make(server, server_key, "server", &issuer, issuer_key, 13, {{NID_ext_key_usage, "serverAuth"}});
    std::size_t skipped = 0;
    trust = TrustStores::make_store({pem_of(root.x)}, skipped);
  }
  // What the client sends with its certificate: the issuing CA.
  STACK_OF(X509) * sent() {
    sent_.reset(sk_X509_new_null());
    sk_X509_push(sent_.get(), issuer.x);
    return sent_.get();
  }

 private:
  struct StackFree {
    void operator()(STACK_OF(X509) * s) const { sk_X509_free(s); }
  };
  std::unique_ptr<STACK_OF(X509), StackFree> sent_;
};

ClientCertificate judge(Pki& pki, X509* leaf, const std::vector<X509_CRL*>& crls, bool usage = true) {
  ChainCheck check = check_chain(leaf, pki.sent(), pki.trust.get(), usage);
  check_revocation(check.certificate, leaf, pki.sent(), pki.trust.get(), usage, crls);
  return check.certificate;
}

}  // namespace

TEST_CASE("client certificate: the chain must reach the trusted list, for client authentication") {
  Pki pki;
  ChainCheck alice = check_chain(pki.alice.x, pki.sent(), pki.trust.get(), true);
  CHECK(alice.certificate.verdict == ClientCertificate::Verdict::Trusted);
  CHECK(alice.crl_urls == std::vector<std::string>{kUrl});  // the leaf's; the issuing CA names none
  CHECK(alice.certificate.subject == "CN=alice");
  CHECK(alice.certificate.chain_base64.size() == 1);

  // Without the issuing CA the chain stops short of the root.
  ChainCheck alone = check_chain(pki.alice.x, nullptr, pki.trust.get(), true);
  CHECK(alone.certificate.verdict == ClientCertificate::Verdict::Untrusted);
  CHECK(alone.certificate.problem.find("unable to get local issuer certificate") != std::string::npos);
  CHECK(alone.crl_urls.empty());

  // A list that trusts the issuing CA alone (a CTL lists issuers) accepts what it issued.
  std::size_t skipped = 0;
  auto issuer_only = TrustStores::make_store({pem_of(pki.issuer.x), "not a certificate"}, skipped);
  CHECK(skipped == 1);
  CHECK(check_chain(pki.alice.x, nullptr, issuer_only.get(), true).certificate.verdict ==
        ClientCertificate::Verdict::Trusted);
  // An empty list trusts nothing.
  auto empty = TrustStores::make_store({}, skipped);
  CHECK(check_chain(pki.alice.x, pki.sent(), empty.get(), true).certificate.verdict ==
        ClientCertificate::Verdict::Untrusted);

  // A certificate for servers only: refused by the usage check, accepted without it (usagecheck=disable).
  CHECK(check_chain(pki.server.x, pki.sent(), pki.trust.get(), true).certificate.verdict ==
        ClientCertificate::Verdict::Untrusted);
  CHECK(check_chain(pki.server.x, pki.sent(), pki.trust.get(), false).certificate.verdict ==
        ClientCertificate::Verdict::Trusted);
}

TEST_CASE("client certificate: revocation by the CRL its distribution point names") {
  Pki pki;
  auto listing_bob = crl(pki.issuer, pki.issuer_key, {11});
  CHECK(judge(pki, pki.alice.x, {listing_bob.get()}).verdict == ClientCertificate::Verdict::Trusted);
  const ClientCertificate bob = judge(pki, pki.bob.x, {listing_bob.get()});
  CHECK(bob.verdict == ClientCertificate::Verdict::Revoked);
  CHECK(bob.problem.find("certificate revoked") != std::string::npos);
  CHECK(refusal_of(bob) == Failure::ClientCertificateRevoked);

  // No CRL to be had for a certificate that names one: its status is unknown, which is not trusted.
  const ClientCertificate unknown = judge(pki, pki.alice.x, {});
  CHECK(unknown.verdict == ClientCertificate::Verdict::Untrusted);
  CHECK(refusal_of(unknown) == Failure::ClientCertificateUntrusted);
  // A certificate that names none has nothing to check.
  CHECK(judge(pki, pki.plain.x, {}).verdict == ClientCertificate::Verdict::Trusted);

  // A CRL past its nextUpdate, or one signed by another key, does not say the certificate is good.
  auto stale = crl(pki.issuer, pki.issuer_key, {}, -2 * kDay, -kDay);
  CHECK(judge(pki, pki.alice.x, {stale.get()}).verdict == ClientCertificate::Verdict::Untrusted);
  Key rogue;
  auto forged = crl(pki.issuer, rogue, {});
  const ClientCertificate forged_verdict = judge(pki, pki.alice.x, {forged.get()});
  CHECK(forged_verdict.verdict == ClientCertificate::Verdict::Untrusted);
  CHECK(forged_verdict.problem.find("CRL signature failure") != std::string::npos);
  // The root's CRL does not speak for the issuing CA's certificates.
  auto roots = crl(pki.root, pki.root_key, {11});
  CHECK(judge(pki, pki.bob.x, {roots.get()}).verdict == ClientCertificate::Verdict::Untrusted);
}

TEST_CASE("client certificate: the forwarding fields, as ARR and RFC 9440 write them") {
  ClientCertificate c;
  c.der_base64 = "AAEC";
  CHECK(client_cert_field(c) == ":AAEC:");
  CHECK(client_cert_chain_field(c).empty());
  c.chain_base64 = {"AwQF", "BgcI"};
  CHECK(client_cert_chain_field(c) == ":AwQF:, :BgcI:");
  Pki pki;
  const ChainCheck alice = check_chain(pki.alice.x, pki.sent(), pki.trust.get(), true);
  unsigned char* der = nullptr;
  const int size = i2d_X509(pki.alice.x, &der);
  std::string expected(static_cast<std::size_t>(4 * ((size + 2) / 3)), '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(expected.data()), der, size);
  OPENSSL_free(der);
  CHECK(alice.certificate.der_base64 == expected);
  CHECK(alice.certificate.der_base64.find('\n') == std::string::npos);
}

TEST_CASE("client certificate: the binding's options make the policy") {
  SslSettings s;
  ClientCertPolicy p = client_cert_policy(s);
  CHECK(p.trusted_list == "Root");
  CHECK(p.check_revocation);
  CHECK(p.check_usage);
  CHECK_FALSE(p.crl.cached_only);
  CHECK(p.crl.freshness_seconds == 0);
  s.ctl_store_name = "ClientCAs";
  s.check_mode = check_mode::kNoRevocationCheck | check_mode::kCachedRevocationOnly | check_mode::kNoUsageCheck;
  s.revocation_freshness_time = 600;  // without the "enabled" bit: not used
  s.url_retrieval_timeout = 2500;
  p = client_cert_policy(s);
  CHECK(p.trusted_list == "ClientCAs");
  CHECK_FALSE(p.check_revocation);
  CHECK_FALSE(p.check_usage);
  CHECK(p.crl.cached_only);
  CHECK(p.crl.freshness_seconds == 0);
  CHECK(crl_fetch_seconds(p.crl) == 3);
  s.check_mode |= check_mode::kFreshnessTimeEnabled;
  CHECK(client_cert_policy(s).crl.freshness_seconds == 600);
  CHECK(crl_fetch_seconds(CrlPolicy{}) == 4);
  CHECK(crl_fetch_seconds(CrlPolicy{false, 0, 60'000}) == 4);  // within the loaders' deadline
}

namespace {

// CRL fetches the test answers: each counts, and answers what `answer` holds (empty: a failure).
struct FakeLocation {
  std::mutex mutex;
  std::string answer;
  std::atomic<int> fetches{0};
  CrlCache::Fetch fetch() {
    return [this](const std::string& url, int) -> Result<std::string> {
      ++fetches;
      const std::lock_guard lock(mutex);
      if (answer.empty()) return invalid("nothing answers at " + url);
      return answer;
    };
  }
};

// Asks the cache and waits for a load it started to end.
CrlCache::Found get_now(CrlCache& cache, const CrlPolicy& policy, std::int64_t now) {
  std::atomic<bool> resumed{false};
  CrlCache::Found found = cache.get(
      kUrl, policy, [&] { resumed = true; }, now);
  if (found.state != CrlCache::Found::State::Loading) return found;
  REQUIRE(test::within(5s, [&] { return resumed.load(); }));
  return cache.get(
      kUrl, policy, [] {}, now);
}

}  // namespace

TEST_CASE("CRL cache: one fetch for many, kept on disk, fetched again when stale or past the freshness time") {
  Pki pki;
  test::TempDir dir;
  LoaderPool loaders({2, 100, 2, 5s});
  FakeLocation location;
  location.answer = der_of(crl(pki.issuer, pki.issuer_key, {11}));
  CrlCache cache(loaders, dir.path() / "crl", location.fetch());
  const std::int64_t now = std::time(nullptr);

  std::atomic<int> resumed{0};
  for (int i = 0; i < 5; ++i) {
    CHECK(cache
              .get(
                  kUrl, {}, [&] { ++resumed; }, now)
              .state == CrlCache::Found::State::Loading);
  }
  CHECK(test::within(5s, [&] { return resumed.load() == 5; }));
  CHECK(location.fetches == 1);  // single flight
  CHECK(cache
            .get(
                kUrl, {}, [] {}, now)
            .state == CrlCache::Found::State::Ready);
  CHECK(location.fetches == 1);

  // revocationfreshnesstime: a CRL older than it is fetched again, though its nextUpdate is a day away.
  CHECK(get_now(cache, {false, 600, 0}, now + 300).state == CrlCache::Found::State::Ready);
  CHECK(location.fetches == 1);
  CHECK(get_now(cache, {false, 600, 0}, now + 700).state == CrlCache::Found::State::Ready);
  CHECK(location.fetches == 2);
  // Past the CRL's nextUpdate: fetched again. The location fails: nothing to judge by, and a retry waits 10 s.
  {
    const std::lock_guard lock(location.mutex);
    location.answer.clear();
  }
  CHECK(get_now(cache, {}, now + 2 * kDay).state == CrlCache::Found::State::Missing);
  CHECK(location.fetches == 3);
  CHECK(cache
            .get(
                kUrl, {}, [] {}, now + 2 * kDay + 1)
            .state == CrlCache::Found::State::Missing);
  CHECK(location.fetches == 3);
  const auto status = cache.status();
  CHECK(status[0]["failures"] == 1);
  CHECK(status[0]["problem"] == std::string("nothing answers at ") + kUrl);

  // A new cache (a restart) finds the CRL on disk; a cached-only binding never fetches.
  CrlCache restarted(loaders, dir.path() / "crl", location.fetch());
  const CrlCache::Found from_disk = get_now(restarted, {true, 0, 0}, now);
  CHECK(from_disk.state == CrlCache::Found::State::Ready);
  CHECK(location.fetches == 3);
  CrlCache empty(loaders, dir.path() / "nothing", location.fetch());
  CHECK(get_now(empty, {true, 0, 0}, now).state == CrlCache::Found::State::Missing);
  CHECK(location.fetches == 3);
  CHECK(empty.status()[0]["problem"] ==
        std::string("no CRL of ") + kUrl + " is cached, and the binding allows only cached ones");
}

TEST_CASE("CRL cache: what is not a CRL is refused, PEM is read as DER is") {
  Pki pki;
  auto c = crl(pki.issuer, pki.issuer_key, {11});
  CHECK(CrlCache::parse(der_of(c)) != nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509_CRL(bio, c.get());
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  CHECK(CrlCache::parse(std::string(data, static_cast<std::size_t>(size))) != nullptr);
  BIO_free(bio);
  CHECK(CrlCache::parse("") == nullptr);
  CHECK(CrlCache::parse("<html>not found</html>") == nullptr);
  CHECK(CrlCache::parse(der_of(c).substr(0, 40)) == nullptr);
}
