#pragma once
// What tells the control thread that the CCS folder changed: inotify on a local folder, bursts debounced into one
// call; a folder on a network share, which inotify cannot see, is polled every PollingInterval, as HTTP.SYS does.
// (The registry tells of its own changes: Registry::follow.)
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "serve/snapshot.hpp"
#include "store/file_watch.hpp"

namespace sslbind::serve {

class ChangeWatcher {
 public:
  // `ccs_changed(why)` runs on the loop of `io`; why is empty for a quiet poll. Destroyed before `io`.
  ChangeWatcher(asio::io_context& io, std::function<void(const std::string& why)> ccs_changed);
  // The CCS folder of this snapshot from now on: watched when it is local, polled when it is a share.
  void follow(const Snapshot& snapshot);
  bool ccs_watched() const { return ccs_watch_ != nullptr; }
  std::chrono::seconds poll_interval() const { return poll_interval_; }

 private:
  void schedule_poll();

  asio::io_context& io_;
  std::function<void(const std::string&)> ccs_changed_;
  asio::steady_timer poll_;
  std::unique_ptr<store::FileWatch> ccs_watch_;  // its thread posts to io_; destroyed (joined) before io_
  std::filesystem::path watched_ccs_folder_;
  bool polling_ = false;
  std::chrono::seconds poll_interval_{0};
};

}  // namespace sslbind::serve
