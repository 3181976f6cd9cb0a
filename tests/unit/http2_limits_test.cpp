#include "serve/http2_limits.hpp"

#include <doctest/doctest.h>

using namespace sslbind;
using namespace sslbind::serve;

TEST_SUITE("serve::http2_limits") {
  TEST_CASE("PropertyId 0 sets the windows, and PropertyId 1's defaults mean nghttp2's cap, not no limit") {
    const Http2Limits defaults = http2_limits(ExtendedProperties{});
    CHECK(defaults.window == 1048576);
    CHECK(defaults.max_settings_per_frame == 32);
    CHECK(defaults.max_settings_per_minute == 0);
    ExtendedProperties set;
    set.receive_window = 65535;
    set.max_settings_per_frame = 7;
    set.max_settings_per_minute = 100;
    const Http2Limits limits = http2_limits(set);
    CHECK(limits.window == 65535);
    CHECK(limits.max_settings_per_frame == 7);
    CHECK(limits.max_settings_per_minute == 100);
    set.max_settings_per_frame = 200;  // above nghttp2's default, as the binding asks
    CHECK(http2_limits(set).max_settings_per_frame == 200);
  }

  TEST_CASE("a token bucket gives its burst, then its rate") {
    TokenBucket bucket(3, 10);
    for (int i = 0; i < 3; ++i) CHECK(bucket.take(1000));
    CHECK_FALSE(bucket.take(1000));
    CHECK_FALSE(bucket.take(1050));  // half a token
    CHECK(bucket.take(1100));        // one token after 100 ms at 10 a second
    CHECK_FALSE(bucket.take(1100));
    CHECK(bucket.take(100'000));  // refilled, but never past the burst
    CHECK(bucket.take(100'000));
    CHECK(bucket.take(100'000));
    CHECK_FALSE(bucket.take(100'000));
    CHECK_FALSE(bucket.take(50'000));  // a clock going back gives nothing
  }

  TEST_CASE("settings per minute are counted over one-minute periods, and 0 is no limit") {
    SettingsPerMinute limit(10);
    CHECK(limit.add(6, 0));
    CHECK(limit.add(4, 59'000));
    CHECK_FALSE(limit.add(1, 59'999));
    CHECK(limit.add(10, 60'000));  // a new minute
    SettingsPerMinute none(0);
    CHECK(none.add(4'000'000'000u, 0));
  }
}
