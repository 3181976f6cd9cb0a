#include "serve/access_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <ctime>
#include <nlohmann/json.hpp>

namespace sslbind::serve {
namespace {

constexpr std::size_t kMaxQueued = 100'000;  // lines; past this a stalled disk costs lines, not memory

std::string now_text() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

// Text fields never hold a blank or a quote, so that the line splits on blanks: those bytes are escaped.
std::string field(const std::string& value) {
  if (value.empty()) return "-";
  std::string out;
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u == '"' || u == '\\' || u >= 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

AccessLog::AccessLog(std::string path, bool json) : path_(std::move(path)), json_(json) {
  writer_ = std::thread([this] { run(); });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  writer_.join();
  if (fd_ > 2) ::close(fd_);
}

std::string AccessLog::format(const AccessRecord& r) const {
  if (json_) {
    const nlohmann::json j = {{"time", now_text()},   {"client", r.client},       {"sni", r.sni},
                              {"binding", r.binding}, {"certhash", r.thumbprint}, {"host", r.host},
                              {"method", r.method},   {"path", r.target},         {"protocol", r.protocol},
                              {"status", r.status},   {"bytesIn", r.bytes_in},    {"bytesOut", r.bytes_out},
                              {"server", r.server},   {"totalMs", r.total_ms},    {"backendMs", r.backend_ms}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  return now_text() + " " + field(r.client) + " " + field(r.sni) + " " + field(r.binding) + " " + field(r.thumbprint) +
         " " + field(r.host) + " " + field(r.method) + " " + field(r.target) + " " + std::string(r.protocol) + " " +
         std::to_string(r.status) + " " + std::to_string(r.bytes_in) + " " + std::to_string(r.bytes_out) + " " +
         field(r.server) + " " + std::to_string(r.total_ms) + "ms " +
         (r.backend_ms < 0 ? std::string("-") : std::to_string(r.backend_ms) + "ms") + "\n";
}

void AccessLog::record(const AccessRecord& r) {
  std::string line = format(r);
  {
    std::lock_guard lock(mutex_);
    if (lines_.size() >= kMaxQueued) return;
    lines_.push_back(std::move(line));
  }
  wake_.notify_one();
}

void AccessLog::reopen() {
  {
    std::lock_guard lock(mutex_);
    reopen_ = true;
  }
  wake_.notify_one();
}

void AccessLog::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stop_ || reopen_ || !lines_.empty(); });
    if (reopen_) {
      reopen_ = false;
      if (path_ == "stderr") {
        fd_ = 2;
      } else {
        lock.unlock();
        const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        lock.lock();
        if (fd >= 0) {
          if (fd_ > 2) ::close(fd_);
          fd_ = fd;
        }
      }
    }
    std::deque<std::string> batch;
    batch.swap(lines_);
    lock.unlock();
    std::string text;
    for (const std::string& l : batch) text += l;
    for (std::size_t done = 0; fd_ >= 0 && done < text.size();) {
      const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
      if (n <= 0) break;  // a full disk loses the lines rather than stall the front end
      done += static_cast<std::size_t>(n);
    }
    lock.lock();
    if (stop_ && lines_.empty()) return;
  }
}

}  // namespace sslbind::serve
