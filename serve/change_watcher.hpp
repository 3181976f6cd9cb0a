#pragma once
// What tells the control thread that something changed: inotify on the root (the CLI commits registry.json by
// rename) and on a local CCS folder, with bursts debounced into one call; a CCS folder on a network share, which
// inotify cannot see, is polled every PollingInterval, as HTTP.SYS does.
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "serve/snapshot.hpp"

namespace sslbind::serve {

class ChangeWatcher {
 public:
  // `registry_changed` and `ccs_changed(why)` run on the control thread's loop; why is empty for a quiet poll.
  ChangeWatcher(asio::io_context& io, std::filesystem::path root, std::function<void()> registry_changed,
                std::function<void(const std::string& why)> ccs_changed);
  // Before the first snapshot, which adds the CCS folder to the same watch.
  void watch_root();
  // The CCS folder of this snapshot from now on: watched when it is local, polled when it is a share.
  void follow(const Snapshot& snapshot);
  bool ccs_watched() const { return ccs_watch_ >= 0; }
  std::chrono::seconds poll_interval() const { return poll_interval_; }

 private:
  void read_events();
  void schedule_poll();

  std::filesystem::path root_;
  std::function<void()> registry_changed_;
  std::function<void(const std::string&)> ccs_changed_;
  asio::posix::stream_descriptor inotify_;
  asio::steady_timer debounce_, ccs_debounce_, poll_;
  int root_watch_ = -1;
  int ccs_watch_ = -1;
  std::filesystem::path watched_ccs_folder_;
  bool polling_ = false;
  std::chrono::seconds poll_interval_{0};
};

}  // namespace sslbind::serve
