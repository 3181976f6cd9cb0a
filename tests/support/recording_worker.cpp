#include "tests/support/recording_worker.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sslbind::test {
namespace {

constexpr int kQuietMs = 60;  // the front end writes a request in one go on loopback: this long silent, it is whole

}  // namespace

RecordingWorker::RecordingWorker() {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listener_, 128) != 0) return;
  socklen_t size = sizeof a;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &size);
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread([this] {
    while (!stopping_) {
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      ++connections_;
      std::lock_guard lock(mutex_);
      open_.push_back(fd);
      threads_.emplace_back([this, fd] { serve(fd); });
    }
  });
}

RecordingWorker::~RecordingWorker() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);
  ::close(listener_);
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    for (const int fd : open_) ::shutdown(fd, SHUT_RDWR);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
  std::lock_guard lock(mutex_);
  for (const int fd : open_) ::close(fd);
}

void RecordingWorker::script(std::string answer, bool close_after) {
  std::lock_guard lock(mutex_);
  answer_ = std::move(answer);
  close_after_ = close_after;
}

std::string RecordingWorker::take() {
  std::lock_guard lock(mutex_);
  std::string out;
  out.swap(received_);
  return out;
}

void RecordingWorker::serve(int fd) {
  bool unanswered = false;
  char buffer[65536];
  while (!stopping_) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, kQuietMs);
    if (ready == 0) {
      if (!unanswered) continue;
      unanswered = false;
      std::string answer;
      bool close_after = false;
      {
        std::lock_guard lock(mutex_);
        answer = answer_;
        close_after = close_after_;
      }
      for (std::size_t done = 0; done < answer.size();) {
        const ssize_t n = ::send(fd, answer.data() + done, answer.size() - done, MSG_NOSIGNAL);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
      }
      if (close_after) break;
      continue;
    }
    const ssize_t n = ready < 0 ? -1 : ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    std::lock_guard lock(mutex_);
    received_.append(buffer, static_cast<std::size_t>(n));
    unanswered = true;
  }
  ::shutdown(fd, SHUT_RDWR);  // closed by the destructor, which may still shut it down meanwhile
}

}  // namespace sslbind::test
