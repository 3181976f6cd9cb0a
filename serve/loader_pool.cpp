#include "serve/loader_pool.hpp"

#include <chrono>

#include <malloc.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sslbind::serve {
namespace {

constexpr auto kTrimQuietPeriod = std::chrono::seconds(1);

// Parsing a PFX is CPU work (key derivation): loaders run when a core would otherwise idle (SCHED_IDLE, or the
// highest niceness where that is refused), so a storm of cold names never takes a core from an I/O thread.
void set_lowest_priority() {
  const sched_param none{0};
  if (sched_setscheduler(0, SCHED_IDLE, &none) != 0) {
    constexpr int kNiceness = 19;
    setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), kNiceness);
  }
}

}  // namespace

LoaderPool::LoaderPool(unsigned threads, std::size_t max_queued) : max_queued_(max_queued) {
  delivery_thread_ = std::thread([this] { deliver(); });
  for (unsigned i = 0; i < threads; ++i) loaders_.emplace_back([this] { load(); });
}

LoaderPool::~LoaderPool() { stop(); }

void LoaderPool::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  ready_.notify_all();
  for (auto& t : loaders_) {
    if (t.joinable()) t.join();
  }
  {
    const std::lock_guard lock(delivery_mutex_);
    loaders_gone_ = true;
  }
  delivery_ready_.notify_all();
  if (delivery_thread_.joinable()) delivery_thread_.join();
}

bool LoaderPool::submit(Job job) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ || jobs_.size() >= max_queued_) return false;
    jobs_.push_back(std::move(job));
  }
  ready_.notify_one();
  return true;
}

std::size_t LoaderPool::queued() const {
  const std::lock_guard lock(mutex_);
  return jobs_.size();
}

void LoaderPool::load() {
  set_lowest_priority();
  bool trimmed = true;
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      const auto has_work = [&] { return stopping_ || !jobs_.empty(); };
      if (!trimmed && !ready_.wait_for(lock, kTrimQuietPeriod, has_work)) {
        // A PFX parse leaves freed scratch memory in this thread's malloc arena; give it back once the loads have
        // stopped for a while, so that the resident size follows the certificates kept rather than the parsing
        // done. Never during a storm: malloc_trim locks every arena in turn, the I/O threads' ones included.
        lock.unlock();
        malloc_trim(0);
        trimmed = true;
        continue;
      }
      ready_.wait(lock, has_work);
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    Delivery delivery = job();
    {
      const std::lock_guard lock(delivery_mutex_);
      deliveries_.push_back(std::move(delivery));
    }
    delivery_ready_.notify_one();
    trimmed = false;
  }
}

void LoaderPool::deliver() {
  while (true) {
    Delivery delivery;
    {
      std::unique_lock lock(delivery_mutex_);
      delivery_ready_.wait(lock, [&] { return loaders_gone_ || !deliveries_.empty(); });
      if (deliveries_.empty()) return;  // the loaders are gone and every delivery made
      delivery = std::move(deliveries_.front());
      deliveries_.pop_front();
    }
    delivery();
  }
}

}  // namespace sslbind::serve
