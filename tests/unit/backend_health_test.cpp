#include <doctest/doctest.h>

#include "serve/backend_health.hpp"

using namespace sslbind::serve;

TEST_SUITE("serve::backend_health") {
  TEST_CASE("a server goes down after its farm's failures within the window, weighted") {
    BackendHealth health;
    const BackendHealth::FailureRule rule{5, 30'000, 10'000};
    // One client's reset, however many servers: never down alone.
    CHECK_FALSE(health.failed("a:80", 1, 1'000, rule));
    CHECK(health.up("a:80", 1'000));
    CHECK_FALSE(health.failed("a:80", 1, 2'000, rule));
    CHECK_FALSE(health.failed("a:80", 1, 3'000, rule));
    CHECK_FALSE(health.failed("a:80", 1, 4'000, rule));
    CHECK(health.failed("a:80", 1, 5'000, rule));  // the fifth within 30 s
    CHECK_FALSE(health.up("a:80", 5'000));
    CHECK_FALSE(health.up("a:80", 14'999));
    CHECK(health.up("a:80", 15'000));  // down for 10 s, then tried again
    // Back up, it starts with a clean window.
    CHECK_FALSE(health.failed("a:80", 1, 16'000, rule));
    // A refused connection weighs two: three of them are enough.
    CHECK_FALSE(health.failed("b:80", 2, 1'000, rule));
    CHECK_FALSE(health.failed("b:80", 2, 1'100, rule));
    CHECK(health.failed("b:80", 2, 1'200, rule));
  }

  TEST_CASE("failures older than the window do not count") {
    BackendHealth health;
    const BackendHealth::FailureRule rule{3, 10'000, 10'000};
    CHECK_FALSE(health.failed("a:80", 1, 0, rule));
    CHECK_FALSE(health.failed("a:80", 1, 5'000, rule));
    CHECK_FALSE(health.failed("a:80", 1, 10'000, rule));  // the first is 10 s old: out of the window
    CHECK(health.failed("a:80", 1, 11'000, rule));
    // failures=1: the operator asked for one failure to take a server out.
    CHECK(health.failed("c:80", 1, 0, {1, 1'000, 10'000}));
  }

  TEST_CASE("in flight, finished and a health check's verdict") {
    BackendHealth health;
    health.started("a:80");
    health.started("a:80");
    CHECK(health.in_flight("a:80") == 2);
    health.finished("a:80", 200);
    CHECK(health.in_flight("a:80") == 1);
    health.failed("a:80", 2, 0, {1, 1'000, 60'000});
    CHECK_FALSE(health.up("a:80", 1));
    health.checked("a:80", true, 0);
    CHECK(health.up("a:80", 1));
  }
}
