#include "cli/format.hpp"

#include <ctime>

namespace sslbind::cli {

std::string utc(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out.empty() ? "(none)" : out;
}

void label_line(std::string& out, std::string_view label, const std::string& value, std::size_t width) {
  out += "    ";
  out += label;
  out.append(label.size() < width ? width - label.size() : 1, ' ');
  out += ": " + value + "\n";
}

}  // namespace sslbind::cli
