#pragma once
// One I/O thread: its own event loop (an asio::io_context used as a reactor), its own SO_REUSEPORT listening
// sockets, its connections and its current snapshot. Nothing on it blocks: certificate loading is on the loader
// threads, registry reading on the control thread. Everything it is told comes as a post to its loop.
#include <array>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "serve/asio_upstream.hpp"
#include "serve/shared_state.hpp"
#include "serve/snapshot.hpp"

namespace sslbind::serve {

class Connection;

class Worker {
 public:
  // `report` receives listen failures (on this worker's thread); the control thread logs them once.
  using ListenReport = std::function<void(const ListenAddress&, const std::string& why)>;

  Worker(SharedState& shared, unsigned id, ListenReport report);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();  // runs the loop on a thread of its own
  void stop();   // stops the loop and joins the thread; connections are dropped with it
  // The snapshot for new connections, and the listening sockets it needs: new ones open, removed ones close.
  void publish(std::shared_ptr<const Snapshot> snapshot);
  void stop_accepting();
  bool stopping() const { return !accepting_; }  // on this thread only

  asio::io_context& io() { return io_; }
  SharedState& shared() { return shared_; }
  const std::shared_ptr<const Snapshot>& snapshot() const { return snapshot_; }  // on this thread only
  std::size_t next_backend() { return round_robin_++; }

  // This thread's side of the web farms: connections, their keep-alive pool, timers and response buffers.
  Upstream& upstream() { return upstream_; }
  // For a read whose bytes are copied at once, before the thread does anything else.
  using Buffer = std::array<char, 16 * 1024>;
  Buffer& scratch() { return *scratch_; }
  // A connection whose session went idle: at the next sweep (every kIdleSweep) it gives back its idle memory if it is
  // idle still. Releasing at every pause between a client's requests would cost a system call and the page faults
  // that follow at each pause, under load many times a second.
  void release_when_still_idle(std::weak_ptr<Connection> connection);
  static constexpr std::chrono::milliseconds kIdleSweep{500};

 private:
  void sync_listeners(const std::set<ListenAddress>& wanted);
  void accept(const ListenAddress& address);

  SharedState& shared_;
  unsigned id_;
  ListenReport report_;
  std::unique_ptr<Buffer> scratch_ = std::make_unique<Buffer>();
  // Before io_: connections destroyed with the loop give their buffers back to an upstream that still exists; its
  // pooled sockets are closed by ~Worker before the loop goes.
  AsioUpstream upstream_;
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> keep_running_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::map<ListenAddress, std::unique_ptr<asio::ip::tcp::acceptor>> acceptors_;
  // Accepts that failed (out of descriptors, say), tried again together shortly rather than spun on.
  std::set<ListenAddress> retry_accept_;
  std::optional<asio::steady_timer> retry_timer_;
  bool accepting_ = true;
  std::size_t round_robin_ = 0;
  std::vector<std::weak_ptr<Connection>> connections_;
  std::vector<std::weak_ptr<Connection>> went_idle_;  // for the next idle sweep
  std::optional<asio::steady_timer> idle_sweep_;
  std::size_t connections_kept_ = 64;
  std::thread thread_;
};

}  // namespace sslbind::serve
