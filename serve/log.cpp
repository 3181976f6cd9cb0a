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

}  // namespace sslbind::serve
