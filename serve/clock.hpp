#pragma once
// The steady clock in milliseconds, which serve's timeouts, health windows and durations count in.
#include <chrono>
#include <cstdint>

namespace sslbind::serve {

inline std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace sslbind::serve
