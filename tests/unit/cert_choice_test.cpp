// The certificate choice outside OpenSSL's callback: its typed answers for a binding that is missing, rejected, or
// names a certificate the store does not hold (Pending while a loader looks, then Failed).
#include "serve/cert_choice.hpp"

#include <doctest/doctest.h>
#include <openssl/ssl.h>

#include <atomic>
#include <thread>

#include "core/memory_binding_table.hpp"
#include "tests/support/temp_dir.hpp"

using namespace sslbind;
using namespace sslbind::serve;
using namespace std::chrono_literals;

namespace {

Binding ip(const std::string& ipport, std::uint32_t flags = 0) {
  SslSettings s;
  s.certhash = *Thumbprint::parse(std::string(40, 'a'));
  s.flags = flags;
  return {BindingKey::ip(*IpPort::parse(ipport)), s};
}

struct Front {
  test::TempDir root;
  store::CertStore stores{root.path()};
  LoaderPool loaders{{1, 16, 1, 10s}};
  CertCache cache{loaders, {}};
  std::shared_ptr<const Snapshot> snapshot;

  explicit Front(std::vector<Binding> bindings) {
    BindingSet set;
    for (auto& b : bindings) REQUIRE(set.add(std::move(b)));
    store::ServingState state;
    state.bindings = std::make_shared<MemoryBindingTable>(std::make_shared<const BindingSet>(std::move(set)));
    snapshot = std::make_shared<Snapshot>(1, std::move(state), root.path(), nullptr);
  }
  CertChoice choose(
      const std::string& address, std::uint16_t port, std::function<void()> resume = [] {}) {
    return choose_certificate(
        {{*IpAddress::parse(address, "test"), port, std::nullopt}, *snapshot, cache, stores, std::move(resume)});
  }
};

}  // namespace

TEST_SUITE("serve::cert_choice") {
  TEST_CASE("no binding for the address: failed, with unrecognized_name") {
    Front f({ip("127.0.0.1:443")});
    const CertChoice c = f.choose("127.0.0.1", 8443);
    CHECK(c.state == CertChoice::State::Failed);
    CHECK(c.failure == Failure::NoMatch);
    CHECK(c.alert == SSL_AD_UNRECOGNIZED_NAME);
  }

  TEST_CASE("a binding marked reject: failed, with access_denied, and no certificate is read") {
    Front f({ip("127.0.0.1:443", ssl_flag::kReject)});
    const CertChoice c = f.choose("127.0.0.1", 443);
    CHECK(c.state == CertChoice::State::Failed);
    CHECK(c.failure == Failure::Rejected);
    CHECK(c.alert == SSL_AD_ACCESS_DENIED);
    CHECK(f.cache.entries(CertSource::Kind::Store).empty());
  }

  TEST_CASE("a certificate the store does not hold: pending while a loader looks, then certificate-missing") {
    Front f({ip("0.0.0.0:443")});
    std::atomic<int> resumed{0};
    CHECK(f.choose("127.0.0.9", 443, [&] { ++resumed; }).state == CertChoice::State::Pending);
    for (int i = 0; i < 200 && resumed == 0; ++i) std::this_thread::sleep_for(5ms);
    REQUIRE(resumed == 1);
    const CertChoice c = f.choose("127.0.0.9", 443);
    CHECK(c.state == CertChoice::State::Failed);
    CHECK(c.failure == Failure::CertificateMissing);
    CHECK(c.alert == SSL_AD_INTERNAL_ERROR);
  }
}
