#include "serve/loader_pool.hpp"

#include <malloc.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sslbind::serve {

LoaderPool::LoaderPool(unsigned threads, std::size_t max_queued) : max_queued_(max_queued) {
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

LoaderPool::~LoaderPool() { stop(); }

void LoaderPool::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  ready_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

bool LoaderPool::submit(std::function<void()> job) {
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

void LoaderPool::work() {
  // Parsing a PFX is CPU work (key derivation): loaders run when a core would otherwise idle (SCHED_IDLE), so a
  // storm of cold names never takes a core from an I/O thread serving names already loaded.
  const sched_param lowest{0};
  if (sched_setscheduler(0, SCHED_IDLE, &lowest) != 0) {
    constexpr int kNiceness = 19;
    setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), kNiceness);
  }
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
    // A PFX parse leaves freed scratch memory in this thread's malloc arena; give it back while the queue is empty,
    // so that the resident size follows the certificates kept rather than the parsing done.
    bool idle = false;
    {
      const std::lock_guard lock(mutex_);
      idle = jobs_.empty();
    }
    if (idle) malloc_trim(0);
  }
}

}  // namespace sslbind::serve
