// The certificate cache with a real loader pool and loads that the tests hold or fail at will: single flight,
// negative entries, eviction, saturation, the waiter limit and an abandoned load.
#include "serve/cert_cache.hpp"
#include "tests/support/within.hpp"

#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

using namespace sslbind;
using namespace sslbind::serve;
using namespace std::chrono_literals;
using sslbind::test::within;

namespace {

// A certificate object for the cache to hold: a real key and an (unsigned) X509, `bytes` as its measure.
std::shared_ptr<const CertObjects> objects(const std::string& thumbprint, std::size_t bytes = 1000) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_pubkey(cert, key);
  return std::make_shared<CertObjects>(cert, key, sk_X509_new_null(), thumbprint, 0, bytes);
}

// A load the test releases when it wants; it counts how often it ran.
struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  std::atomic<int> runs{0};
  void release() {
    {
      const std::lock_guard lock(mutex);
      open = true;
    }
    cv.notify_all();
  }
  CertCache::Load load(std::string thumbprint) {
    return [this, thumbprint]() -> Result<std::shared_ptr<const CertObjects>> {
      ++runs;
      std::unique_lock lock(mutex);
      cv.wait(lock, [&] { return open; });
      return objects(thumbprint);
    };
  }
};

CertCache::Load failing(ErrorCode code, std::atomic<int>& runs) {
  return [code, &runs]() -> Result<std::shared_ptr<const CertObjects>> {
    ++runs;
    return Error(code, "www.contoso.com.pfx is not in the CCS folder");
  };
}

CertCache::Load ready(std::string thumbprint, std::size_t bytes = 1000) {
  return [thumbprint, bytes]() -> Result<std::shared_ptr<const CertObjects>> { return objects(thumbprint, bytes); };
}

using State = CertCache::Found::State;

// Asks until the answer is not Loading (the load ran on a loader thread meanwhile).
CertCache::Found settled(CertCache& cache, const CertSource& source, const CertCache::Load& load) {
  CertCache::Found f;
  within(2000ms, [&] {
    f = cache.get(source, load, [] {});
    return f.state != State::Loading;
  });
  return f;
}

// Asks until the source is served: for a source that a refusal (saturation, too many waiters) may answer first.
bool becomes_ready(CertCache& cache, const CertSource& source, const CertCache::Load& load) {
  return within(2000ms, [&] { return cache.get(source, load, [] {}).state == State::Ready; });
}

std::size_t all(const CertCache& cache) {
  return cache.entries(CertSource::Kind::Store).size() + cache.entries(CertSource::Kind::Ccs).size();
}

}  // namespace

TEST_SUITE("serve::cert_cache") {
  TEST_CASE("single flight: misses during a load wait for it, each waiter is resumed once, then hits") {
    LoaderPool pool({2, 100, 2, 10s});
    CertCache cache(pool, {});
    Gate gate;
    std::atomic<int> resumed{0};
    for (int i = 0; i < 3; ++i) {
      CHECK(cache.get(CertSource::store("my", "aa"), gate.load("aa"), [&] { ++resumed; }).state == State::Loading);
    }
    gate.release();
    CHECK(within(1000ms, [&] { return resumed == 3; }));
    CHECK(gate.runs == 1);
    const auto hit = cache.get(CertSource::store("my", "aa"), gate.load("aa"), [] { FAIL("a hit resumes nothing"); });
    REQUIRE(hit.state == State::Ready);
    CHECK(hit.objects->thumbprint() == "aa");
    CHECK(gate.runs == 1);
    const auto status = cache.status(0);
    CHECK(status["loads"] == 1);
    CHECK(status["misses"] == 3);
    CHECK(status["hits"] == 1);
    pool.stop();
  }

  TEST_CASE("a failed load is remembered as a negative entry until it expires, then loaded again") {
    LoaderPool pool({2, 100, 2, 10s});
    std::atomic<int> runs{0};
    {
      CertCache cache(pool, {.negative = 60s});
      const auto f = settled(cache, CertSource::ccs_file("www.contoso.com.pfx"), failing(ErrorCode::NotFound, runs));
      CHECK(f.state == State::Unusable);
      CHECK(f.missing);
      CHECK(f.problem.find("www.contoso.com.pfx") != std::string::npos);
      for (int i = 0; i < 100; ++i) {
        CHECK(cache.get(CertSource::ccs_file("www.contoso.com.pfx"), failing(ErrorCode::NotFound, runs), [] {}).state ==
              State::Unusable);
      }
      CHECK(runs == 1);  // a scanner asking again costs a lookup, not a load
      CHECK(cache.status(0)["loadFailures"] == 1);
      cache.forget_negative();
      CHECK(cache.get(CertSource::ccs_file("www.contoso.com.pfx"), failing(ErrorCode::NotFound, runs), [] {}).state ==
            State::Loading);
      CHECK(settled(cache, CertSource::ccs_file("www.contoso.com.pfx"), failing(ErrorCode::NotFound, runs)).state ==
            State::Unusable);
      CHECK(runs == 2);
    }
    runs = 0;
    CertCache cache(pool, {.negative = 1s});
    const auto bad = settled(cache, CertSource::store("my", "bb"), failing(ErrorCode::InvalidParameter, runs));
    CHECK(bad.state == State::Unusable);
    CHECK_FALSE(bad.missing);  // there, but unusable
    std::this_thread::sleep_for(1100ms);
    CHECK(cache.get(CertSource::store("my", "bb"), ready("bb"), [] {}).state ==
          State::Loading);  // expired: loaded again
    CHECK(becomes_ready(cache, CertSource::store("my", "bb"), ready("bb")));
    CHECK(runs == 1);
    pool.stop();
  }

  TEST_CASE("eviction: idle entries, then the least recently used beyond the entry and byte limits") {
    LoaderPool pool({2, 100, 2, 10s});
    CertCache cache(pool, {.max_entries = 2, .max_bytes = 2500, .idle = 3600s});
    for (const std::string t : {"01", "02"})
      REQUIRE(settled(cache, CertSource::store("my", t), ready(t)).state == State::Ready);
    CHECK(cache.get(CertSource::store("my", "01"), ready("01"), [] {}).state ==
          State::Ready);  // 01 is now the most recent
    REQUIRE(settled(cache, CertSource::store("my", "03"), ready("03")).state == State::Ready);
    CHECK(cache.evict(CertCache::Clock::now()) == 1);
    CHECK(cache.entries(CertSource::Kind::Store).size() == 2);
    CHECK(cache.get(CertSource::store("my", "02"), ready("02"), [] {}).state ==
          State::Loading);  // 02 went, the least recent
    REQUIRE(settled(cache, CertSource::store("my", "02"), ready("02")).state == State::Ready);
    cache.evict(CertCache::Clock::now());
    // Bytes: one large certificate pushes out the older ones until the total fits.
    REQUIRE(settled(cache, CertSource::store("my", "big"), ready("big", 2000)).state == State::Ready);
    cache.evict(CertCache::Clock::now());
    CHECK(cache.status(0)["bytes"].get<std::size_t>() <= 2500);
    // Idle: everything unused for longer than the limit.
    const std::size_t left = all(cache);
    CHECK(left >= 1);
    CHECK(cache.evict(CertCache::Clock::now()) == 0);
    CHECK(cache.evict(CertCache::Clock::now() + 3601s) == left);
    CHECK(all(cache) == 0);
    pool.stop();
  }

  TEST_CASE("saturated loaders: the miss fails now and is not remembered, so that it loads later") {
    LoaderPool pool({1, 1, 1, 10s});
    CertCache cache(pool, {});
    Gate gate;
    CHECK(cache.get(CertSource::store("my", "a1"), gate.load("a1"), [] {}).state == State::Loading);  // runs, held
    CHECK(within(500ms, [&] { return gate.runs == 1; }));
    CHECK(cache.get(CertSource::store("my", "a2"), gate.load("a2"), [] {}).state ==
          State::Loading);  // queued: the queue is full
    const auto refused = cache.get(CertSource::store("my", "a3"), gate.load("a3"), [] {});
    CHECK(refused.state == State::Unusable);
    CHECK(refused.problem == "the certificate loaders are saturated");
    CHECK(cache.status(0)["refused"] == 1);
    gate.release();
    CHECK(becomes_ready(cache, CertSource::store("my", "a3"), gate.load("a3")));
    pool.stop();
  }

  TEST_CASE("one load has at most max_waiters handshakes waiting for it") {
    LoaderPool pool({1, 10, 1, 10s});
    CertCache cache(pool, {.max_waiters = 2});
    Gate gate;
    CHECK(cache.get(CertSource::ccs_file("a.pfx"), gate.load("a"), [] {}).state == State::Loading);
    CHECK(cache.get(CertSource::ccs_file("a.pfx"), gate.load("a"), [] {}).state == State::Loading);
    const auto third = cache.get(CertSource::ccs_file("a.pfx"), gate.load("a"), [] {});
    CHECK(third.state == State::Unusable);
    CHECK(third.problem == "too many handshakes wait for ccs/a.pfx");
    gate.release();
    CHECK(becomes_ready(cache, CertSource::ccs_file("a.pfx"), gate.load("a")));
    pool.stop();
  }

  TEST_CASE("a load past the loaders' deadline is answered: its waiters resume and the source is unusable") {
    LoaderPool pool({1, 10, 1, 100ms});
    CertCache cache(pool, {.negative = 60s});
    Gate gate;
    std::atomic<int> resumed{0};
    CHECK(cache.get(CertSource::ccs_file("hung.pfx"), gate.load("h"), [&] { ++resumed; }).state == State::Loading);
    CHECK(within(2000ms, [&] { return resumed == 1; }));
    const auto f = cache.get(CertSource::ccs_file("hung.pfx"), gate.load("h"), [] {});
    CHECK(f.state == State::Unusable);
    CHECK(f.problem.find("was not loaded in time") != std::string::npos);
    CHECK(cache.status(0)["abandoned"] == 1);
    gate.release();
    pool.stop();
  }
}
