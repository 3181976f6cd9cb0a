#include "serve/change_watcher.hpp"

#include <sys/inotify.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "serve/log.hpp"

namespace sslbind::serve {
namespace {

namespace fs = std::filesystem;
constexpr std::chrono::milliseconds kDebounce{50};

// inotify sees changes made on this machine only; a network share is polled (HTTP.SYS's PollingInterval).
bool is_network_file_system(const fs::path& folder) {
  struct statfs fs_info {};
  if (::statfs(folder.c_str(), &fs_info) != 0) return true;
  constexpr long kNfs = 0x6969, kSmb = 0x517B, kCifs = static_cast<long>(0xFF534D42),
                 kSmb2 = static_cast<long>(0xFE534D42);
  const long type = static_cast<long>(fs_info.f_type);
  return type == kNfs || type == kSmb || type == kCifs || type == kSmb2;
}

}  // namespace

ChangeWatcher::ChangeWatcher(asio::io_context& io, std::function<void(const std::string& why)> ccs_changed)
    : ccs_changed_(std::move(ccs_changed)), inotify_(io), ccs_debounce_(io), poll_(io) {}

void ChangeWatcher::start() {
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    log(Level::Warning, "inotify is unavailable: CCS folder changes are seen by polling only");
    return;
  }
  inotify_.assign(fd);
  read_events();
}

void ChangeWatcher::follow(const Snapshot& snapshot) {
  const auto& config = snapshot.state().ccs_provider;
  poll_interval_ =
      std::chrono::seconds(config ? std::max<std::uint32_t>(1, config->polling_interval) : kDefaultCcsPollingInterval);
  const auto& ccs = snapshot.ccs();
  polling_ = static_cast<bool>(ccs);
  schedule_poll();
  const fs::path folder = ccs ? ccs->folder() : fs::path();
  if (folder == watched_ccs_folder_) return;
  if (ccs_watch_ >= 0) ::inotify_rm_watch(inotify_.native_handle(), ccs_watch_);
  ccs_watch_ = -1;
  watched_ccs_folder_ = folder;
  if (!ccs || !inotify_.is_open()) return;
  if (is_network_file_system(folder)) {
    log(Level::Info, "CCS folder " + folder.string() + " is a network share: polled every " +
                         std::to_string(poll_interval_.count()) + " s");
    return;
  }
  ccs_watch_ = ::inotify_add_watch(inotify_.native_handle(), folder.c_str(),
                                   IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | IN_CREATE);
}

void ChangeWatcher::read_events() {
  inotify_.async_wait(asio::posix::stream_descriptor::wait_read, [this](const asio::error_code& ec) {
    if (ec) return;
    alignas(inotify_event) char buffer[8192];
    bool ccs = false;
    while (true) {
      const ssize_t n = ::read(inotify_.native_handle(), buffer, sizeof buffer);
      if (n <= 0) break;
      for (ssize_t at = 0; at < n;) {
        const auto* e = reinterpret_cast<const inotify_event*>(buffer + at);
        if (e->wd == ccs_watch_ || (e->mask & IN_Q_OVERFLOW) != 0) ccs = true;
        at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      }
    }
    // A burst of changes (a copy of many .pfx files) becomes one call.
    if (ccs) {
      ccs_debounce_.expires_after(kDebounce);
      ccs_debounce_.async_wait([this](const asio::error_code& e) {
        if (!e) ccs_changed_("CCS folder changed");
      });
    }
    read_events();
  });
}

void ChangeWatcher::schedule_poll() {
  if (!polling_) return;
  poll_.expires_after(poll_interval_);
  poll_.async_wait([this](const asio::error_code& ec) {
    if (ec) return;
    ccs_changed_("");
    schedule_poll();
  });
}

}  // namespace sslbind::serve
