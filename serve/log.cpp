#include "serve/log.hpp"

#include <cstdio>
#include <mutex>
#include <string>

namespace sslbind::serve {

void log(Level level, std::string_view line) {
  static std::mutex mutex;
  const std::string text =
      "<" + std::to_string(static_cast<int>(level)) + ">sslbind serve: " + std::string(line) + "\n";
  const std::lock_guard lock(mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

BurstLog::BurstLog(Level level, std::string what, std::chrono::seconds every)
    : level_(level), what_(std::move(what)), every_(every) {}

void BurstLog::event() {
  const auto now = std::chrono::steady_clock::now();
  std::uint64_t count = 0;
  {
    const std::lock_guard lock(mutex_);
    ++since_;
    if (logged_ && now - last_ < every_) return;
    count = since_;
    since_ = 0;
    last_ = now;
    logged_ = true;
  }
  log(level_, what_ + (count > 1 ? " (" + std::to_string(count) + " times since the last line)" : ""));
}

}  // namespace sslbind::serve
