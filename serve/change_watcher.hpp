#pragma once
// What tells the control thread that the CCS folder changed: inotify on a local folder, bursts debounced into one
// call; a folder on a network share, which inotify cannot see, is polled every PollingInterval, as HTTP.SYS does.
// (The registry tells of its own changes: Registry::follow.)
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
  // `ccs_changed(why)` runs on the control thread's loop; why is empty for a quiet poll.
  ChangeWatcher(asio::io_context& io, std::function<void(const std::string& why)> ccs_changed);
  // Before the first snapshot, whose CCS folder it then watches.
  void start();
  // The CCS folder of this snapshot from now on: watched when it is local, polled when it is a share.
  void follow(const Snapshot& snapshot);
  bool ccs_watched() const { return ccs_watch_ >= 0; }
  std::chrono::seconds poll_interval() const { return poll_interval_; }

 private:
  void read_events();
  void schedule_poll();

  std::function<void(const std::string&)> ccs_changed_;
  asio::posix::stream_descriptor inotify_;
  asio::steady_timer ccs_debounce_, poll_;
  int ccs_watch_ = -1;
  std::filesystem::path watched_ccs_folder_;
  bool polling_ = false;
  std::chrono::seconds poll_interval_{0};
};

}  // namespace sslbind::serve
