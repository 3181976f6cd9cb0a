#pragma once
// `sslbind serve` started by a test, stopped by its pid (SIGTERM, then SIGKILL after 15 s) when the test ends.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sslbind::test {

class ServeProcess {
 public:
  // Starts `binary --root root serve <arguments>` with its log in a file; returns once `port` accepts on 127.0.0.1
  // (or after 10 s; then ok() is false).
  ServeProcess(const std::string& binary, const std::filesystem::path& root, std::uint16_t port,
               const std::vector<std::string>& arguments = {});
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  bool ok() const { return ready_; }
  pid_t pid() const { return pid_; }
  std::string log() const;
  // SIGTERM, and the exit code (or 128 + signal); -1 if it did not stop within 15 s.
  int stop();

 private:
  pid_t pid_ = -1;
  bool ready_ = false;
  std::filesystem::path log_;
};

// Waits up to `timeout_ms` for `check` to hold, trying every 20 ms. True if it held.
template <typename Check>
bool eventually(Check check, int timeout_ms = 1000);

}  // namespace sslbind::test

#include <chrono>
#include <thread>

template <typename Check>
bool sslbind::test::eventually(Check check, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (check()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}
