#include "serve/change_watcher.hpp"

#include <sys/statfs.h>

#include <asio/post.hpp>

#include "serve/log.hpp"

namespace sslbind::serve {
namespace {

namespace fs = std::filesystem;

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
    : io_(io), ccs_changed_(std::move(ccs_changed)), poll_(io) {}

void ChangeWatcher::follow(const Snapshot& snapshot) {
  const auto& config = snapshot.state().ccs_provider;
  poll_interval_ =
      std::chrono::seconds(config ? std::max<std::uint32_t>(1, config->polling_interval) : kDefaultCcsPollingInterval);
  const auto& ccs = snapshot.ccs();
  polling_ = static_cast<bool>(ccs);
  schedule_poll();
  const fs::path folder = ccs ? ccs->folder() : fs::path();
  if (folder == watched_ccs_folder_) return;
  ccs_watch_.reset();
  watched_ccs_folder_ = folder;
  if (!ccs) return;
  if (is_network_file_system(folder)) {
    log(Level::Info, "CCS folder " + folder.string() + " is a network share: polled every " +
                         std::to_string(poll_interval_.count()) + " s");
    return;
  }
  // A burst of changes (a copy of many .pfx files) becomes one call.
  auto watch = store::FileWatch::start_folder(
      folder, [this] { asio::post(io_, [this] { ccs_changed_("CCS folder changed"); }); });
  if (!watch) {
    log(Level::Warning, watch.error().detail + ": CCS folder changes are seen by polling only");
    return;
  }
  ccs_watch_ = std::move(*watch);
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
