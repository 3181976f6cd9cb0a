#pragma once
// The steady clock in milliseconds, which serve's timeouts, health windows and durations count in.
#include <time.h>

#include <chrono>
#include <cstdint>

namespace sslbind::serve {

inline std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The same clock as the kernel last ticked (CLOCK_MONOTONIC_COARSE: behind by a tick, 1-4 ms, at a few nanoseconds a
// read instead of a few tens): for timeouts and ages, which a request pushes on several times (the access log's
// durations keep steady_ms()). A deadline made from it comes at most a tick early.
inline std::chrono::steady_clock::time_point coarse_now() {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
  return std::chrono::steady_clock::time_point(std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec));
}

inline std::int64_t coarse_steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(coarse_now().time_since_epoch()).count();
}

}  // namespace sslbind::serve
