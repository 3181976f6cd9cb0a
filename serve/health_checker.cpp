#include "serve/health_checker.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "serve/socket_address.hpp"

namespace sslbind::serve {
namespace {

constexpr int kConnectMs = 2000;
constexpr int kAnswerMs = 2000;
constexpr std::int64_t kDownUntilCheckPasses = std::int64_t{1} << 62;

bool wait_for(int fd, short events, int ms) {
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, ms) == 1 && (p.revents & events) != 0;
}

}  // namespace

bool probe(const IpPort& address, const std::string& host, const std::string& path, const HealthStatus& accepts) {
  sockaddr_storage storage{};
  socklen_t size = 0;
  if (address.address.family() == IpAddress::Family::V4) {
    auto* a = reinterpret_cast<sockaddr_in*>(&storage);
    a->sin_family = AF_INET;
    a->sin_port = htons(address.port);
    std::memcpy(&a->sin_addr, address.address.bytes().data(), 4);
    size = sizeof(sockaddr_in);
  } else {
    auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(address.port);
    std::memcpy(&a->sin6_addr, address.address.bytes().data(), 16);
    size = sizeof(sockaddr_in6);
  }
  const int fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool healthy = false;
  const int r = ::connect(fd, reinterpret_cast<sockaddr*>(&storage), size);
  int error = 0;
  socklen_t error_size = sizeof error;
  const bool connected = r == 0 || (errno == EINPROGRESS && wait_for(fd, POLLOUT, kConnectMs) &&
                                    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_size) == 0 && error == 0);
  if (connected) {
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host +
                                "\r\nUser-Agent: sslbind-health-check\r\nConnection: close\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
      // The status line is all a check needs: "HTTP/1.1 200 ...".
      std::string answer;
      char buffer[512];
      while (answer.size() < 12 && wait_for(fd, POLLIN, kAnswerMs)) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        answer.append(buffer, static_cast<std::size_t>(n));
      }
      if (answer.size() >= 12 && answer.starts_with("HTTP/1.") && answer[8] == ' ') {
        const int status = std::atoi(answer.substr(9, 3).c_str());
        healthy = accepts.accepts(status);
      }
    }
  }
  ::close(fd);
  return healthy;
}

HealthChecker::HealthChecker(BackendHealth& health) : health_(health) {
  thread_ = std::thread([this] { run(); });
}

HealthChecker::~HealthChecker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void HealthChecker::use(std::shared_ptr<const Snapshot> snapshot) {
  {
    std::lock_guard lock(mutex_);
    snapshot_ = std::move(snapshot);
  }
  wake_.notify_one();
}

void HealthChecker::run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    const std::shared_ptr<const Snapshot> snapshot = snapshot_;
    std::int64_t next_wake = steady_ms() + 1000;
    if (snapshot) {
      for (const auto& [key, farm] : snapshot->state().farms.farms()) {
        if (!farm.health_check) continue;
        for (const FarmServer& server : farm.servers) {
          const std::string name = server.str();
          std::int64_t& due = next_check_ms_[farm.name + "/" + name];
          const std::int64_t now = steady_ms();
          if (due > now) {
            next_wake = std::min(next_wake, due);
            continue;
          }
          const IpPort* address = snapshot->server_address(name);
          if (address == nullptr) continue;
          const std::string host = server.host.find(':') != std::string::npos ? "[" + server.host + "]" : server.host;
          lock.unlock();
          const bool healthy = probe(*address, host, *farm.health_check, farm.health_status);
          lock.lock();
          if (stop_) return;
          health_.checked(name, healthy, kDownUntilCheckPasses);
          due = steady_ms() + static_cast<std::int64_t>(farm.health_interval) * 1000;
          next_wake = std::min(next_wake, due);
        }
      }
    }
    const auto wait = std::chrono::milliseconds(std::max<std::int64_t>(next_wake - steady_ms(), 10));
    wake_.wait_for(lock, wait, [&] { return stop_ || snapshot_ != snapshot; });
  }
}

}  // namespace sslbind::serve
