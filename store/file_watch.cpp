#include "store/file_watch.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

namespace sslbind::store {
namespace {

constexpr int kDebounceMs = 50;

}  // namespace

Result<std::unique_ptr<FileWatch>> FileWatch::start(const std::filesystem::path& file, std::function<void()> changed) {
  return open(file.parent_path().empty() ? "." : file.parent_path(), IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE,
              file.filename().string(), std::move(changed));
}

Result<std::unique_ptr<FileWatch>> FileWatch::start_folder(const std::filesystem::path& folder,
                                                           std::function<void()> changed) {
  return open(folder, IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | IN_CREATE, std::string(),
              std::move(changed));
}

Result<std::unique_ptr<FileWatch>> FileWatch::open(const std::filesystem::path& folder, std::uint32_t events,
                                                   std::string name, std::function<void()> changed) {
  const int inotify = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify < 0) {
    return Error(ErrorCode::SourceUnavailable, std::string("inotify is unavailable (") + std::strerror(errno) + ")");
  }
  if (::inotify_add_watch(inotify, folder.c_str(), events) < 0) {
    const int error = errno;
    ::close(inotify);
    return Error(ErrorCode::SourceUnavailable,
                 "the folder " + folder.string() + " cannot be watched (" + std::strerror(error) + ")");
  }
  const int stop = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop < 0) {
    ::close(inotify);
    return Error(ErrorCode::SourceUnavailable, std::string("no eventfd (") + std::strerror(errno) + ")");
  }
  return std::unique_ptr<FileWatch>(new FileWatch(inotify, stop, std::move(name), std::move(changed)));
}

FileWatch::FileWatch(int inotify, int stop, std::string name, std::function<void()> changed)
    : inotify_(inotify), stop_(stop), name_(std::move(name)), changed_(std::move(changed)) {
  thread_ = std::thread([this] { run(); });
}

FileWatch::~FileWatch() {
  const std::uint64_t one = 1;
  (void)!::write(stop_, &one, sizeof one);
  thread_.join();
  ::close(inotify_);
  ::close(stop_);
}

void FileWatch::run() {
  using Clock = std::chrono::steady_clock;
  bool pending = false;
  Clock::time_point due;
  while (true) {
    int timeout = -1;
    if (pending) {
      timeout = static_cast<int>(
          std::max<long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now()).count()));
    }
    pollfd fds[2] = {{stop_, POLLIN, 0}, {inotify_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, timeout);
    if (ready < 0 && errno != EINTR) return;
    if ((fds[0].revents & POLLIN) != 0) return;
    if (ready == 0 && pending) {
      pending = false;
      changed_();
      continue;
    }
    if ((fds[1].revents & POLLIN) == 0) continue;
    alignas(inotify_event) char buffer[8192];
    bool ours = false;
    while (true) {
      const ssize_t n = ::read(inotify_, buffer, sizeof buffer);
      if (n <= 0) break;
      for (ssize_t at = 0; at < n;) {
        const auto* e = reinterpret_cast<const inotify_event*>(buffer + at);
        if (name_.empty() || (e->len > 0 && name_ == e->name) || (e->mask & IN_Q_OVERFLOW) != 0) ours = true;
        at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      }
    }
    // One call 50 ms after the first change of a burst takes the burst's later changes too; a steady stream of
    // commits still gets a call every 50 ms rather than none until it stops.
    if (ours && !pending) {
      pending = true;
      due = Clock::now() + std::chrono::milliseconds(kDebounceMs);
    }
  }
}

}  // namespace sslbind::store
