#pragma once
// The serving side of one front end, driven by the control thread: the state every I/O thread shares, the I/O
// threads, the web workers' health checker, and the snapshot they all serve. publish() hands a new snapshot to each
// of them; shutdown() stops them in the order their references require.
#include <filesystem>
#include <memory>
#include <vector>

#include "core/serve_command.hpp"
#include "serve/health_checker.hpp"
#include "serve/shared_state.hpp"
#include "serve/snapshot.hpp"
#include "serve/worker.hpp"

namespace sslbind::serve {

class WorkerGroup {
 public:
  WorkerGroup(const ServeCommand& command, const std::filesystem::path& root, unsigned loader_threads);
  ~WorkerGroup();  // shutdown()
  WorkerGroup(const WorkerGroup&) = delete;
  WorkerGroup& operator=(const WorkerGroup&) = delete;

  SharedState& shared() { return *shared_; }
  const SharedState& shared() const { return *shared_; }
  const std::shared_ptr<const Snapshot>& current() const { return current_; }
  std::size_t threads() const { return workers_.size(); }

  // Starts `threads` I/O threads; `report` receives their listen failures on their own threads.
  void start(unsigned threads, const Worker::ListenReport& report);
  void publish(std::shared_ptr<const Snapshot> snapshot);
  void stop_accepting();
  // Loops first, then loaders (their last results post to stopped loops), then connections, then shared state.
  void shutdown();

 private:
  std::unique_ptr<SharedState> shared_;
  std::unique_ptr<HealthChecker> health_checker_;  // after shared_: it is stopped first
  std::vector<std::unique_ptr<Worker>> workers_;
  std::shared_ptr<const Snapshot> current_;
};

}  // namespace sslbind::serve
