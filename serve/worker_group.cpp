#include "serve/worker_group.hpp"

namespace sslbind::serve {

WorkerGroup::WorkerGroup(const ServeCommand& command, const std::filesystem::path& root, unsigned loader_threads)
    : shared_(std::make_unique<SharedState>(command, root, loader_threads)),
      health_checker_(std::make_unique<HealthChecker>(shared_->health)) {}

WorkerGroup::~WorkerGroup() { shutdown(); }

void WorkerGroup::start(unsigned threads, const Worker::ListenReport& report) {
  for (unsigned i = 0; i < threads; ++i) {
    workers_.push_back(std::make_unique<Worker>(*shared_, i, report));
    workers_.back()->start();
  }
}

void WorkerGroup::publish(std::shared_ptr<const Snapshot> snapshot) {
  current_ = std::move(snapshot);
  for (auto& w : workers_) w->publish(current_);
  if (health_checker_) health_checker_->use(current_);
}

void WorkerGroup::stop_accepting() {
  for (auto& w : workers_) w->stop_accepting();
}

void WorkerGroup::shutdown() {
  if (!shared_) return;
  health_checker_.reset();
  for (auto& w : workers_) w->stop();
  shared_->loaders.stop();
  workers_.clear();
  shared_.reset();
}

}  // namespace sslbind::serve
