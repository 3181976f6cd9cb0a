#pragma once
// In-process tests of threads: waits up to `limit` for `check` to hold, trying every 2 ms. True if it held.
#include <chrono>
#include <thread>

namespace sslbind::test {

template <typename Check>
bool within(std::chrono::milliseconds limit, Check check) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (check()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return check();
}

}  // namespace sslbind::test
