#pragma once
// One line per event on standard error, with the syslog priority prefix journald reads ("<6>" info, "<4>" warning,
// "<3>" error), so that `journalctl -u sslbind -p warning` works. Lines never hold secrets. Thread-safe.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace sslbind::serve {

enum class Level { Error = 3, Warning = 4, Info = 6 };
void log(Level level, std::string_view line);

// One line for a burst of like events (descriptors exhausted, the connection limit reached): the first is logged,
// then at most one line per `every`, saying how many came since. Never a line per connection. Thread-safe.
class BurstLog {
 public:
  BurstLog(Level level, std::string what, std::chrono::seconds every = std::chrono::seconds(10));
  void event();

 private:
  Level level_;
  std::string what_;
  std::chrono::steady_clock::duration every_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_{};
  bool logged_ = false;
  std::uint64_t since_ = 0;
};

}  // namespace sslbind::serve
