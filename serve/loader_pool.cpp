#include "serve/loader_pool.hpp"

#include <malloc.h>
#include <openssl/crypto.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vector>

namespace sslbind::serve {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kTrimQuietPeriod = std::chrono::seconds(1);
constexpr auto kWatchEvery = std::chrono::milliseconds(100);

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

// Everything the threads share, owned jointly by the pool and its loader threads: a thread left behind in a hung
// share by stop() finds it alive when its system call returns.
struct LoaderPool::Core {
  struct Queued {
    Task task;
    Clock::time_point submitted;
  };
  struct Running {
    std::string group;
    Clock::time_point submitted;
    Delivery abandoned;  // empty: no deadline, or already abandoned
    bool dropped = false;
  };

  Limits limits;
  std::mutex mutex;
  std::condition_variable ready;    // a job, or the stop
  std::condition_variable changed;  // a loader exited; the watchdog's wake-up
  std::deque<Queued> jobs;
  std::map<std::uint64_t, Running> running;
  std::map<std::string, std::size_t> per_group;
  std::uint64_t next_id = 0;
  unsigned live = 0;    // loader threads alive
  unsigned target = 0;  // loader threads wanted: limits.threads plus one per abandoned job still running
  bool stopping = false;
  std::uint64_t abandoned = 0;

  std::mutex delivery_mutex;
  std::condition_variable delivery_ready;
  std::deque<Delivery> deliveries;
  bool deliveries_closed = false;

  void deliver_later(Delivery d) {
    {
      const std::lock_guard lock(delivery_mutex);
      if (deliveries_closed) return;
      deliveries.push_back(std::move(d));
    }
    delivery_ready.notify_one();
  }

  // The first queued job whose group has room; jobs.end() when none.
  std::deque<Queued>::iterator startable() {
    for (auto it = jobs.begin(); it != jobs.end(); ++it) {
      if (it->task.group.empty() || per_group[it->task.group] < limits.max_per_group) return it;
    }
    return jobs.end();
  }

  static void spawn(const std::shared_ptr<Core>& core) {
    ++core->live;
    std::thread([core] { core->load(); }).detach();
  }

  void load() {
    set_lowest_priority();
    bool trimmed = true;
    std::unique_lock lock(mutex);
    while (true) {
      const auto has_work = [&] { return stopping || live > target || startable() != jobs.end(); };
      if (!trimmed && !ready.wait_for(lock, kTrimQuietPeriod, has_work)) {
        // A PFX parse leaves freed scratch memory in this thread's malloc arena; give it back once the loads have
        // stopped for a while, so that the resident size follows the certificates kept rather than the parsing
        // done. Never during a storm: malloc_trim locks every arena in turn, the I/O threads' ones included.
        lock.unlock();
        malloc_trim(0);
        lock.lock();
        trimmed = true;
        continue;
      }
      ready.wait(lock, has_work);
      if (stopping || live > target) break;  // stopped, or one too many since an abandoned job came back
      const auto it = startable();
      Queued queued = std::move(*it);
      jobs.erase(it);
      const std::uint64_t id = next_id++;
      if (!queued.task.group.empty()) ++per_group[queued.task.group];
      running[id] = Running{queued.task.group, queued.submitted, std::move(queued.task.abandoned)};
      lock.unlock();
      Delivery delivery = queued.task.job();
      lock.lock();
      const auto r = running.find(id);
      if (!r->second.group.empty()) --per_group[r->second.group];
      if (r->second.dropped) {
        --target;  // its replacement carries on; one of the two goes
      } else {
        deliver_later(std::move(delivery));
      }
      running.erase(r);
      trimmed = false;
      ready.notify_all();  // its group has room again
    }
    // A loader is detached, so the process may exit before its thread-local destructors run: free OpenSSL's
    // per-thread state (errors queued by a failed parse) before saying it is gone.
    lock.unlock();
    OPENSSL_thread_stop();
    lock.lock();
    --live;
    changed.notify_all();
  }

  // Every kWatchEvery: jobs past their deadline are answered as abandoned; a running one gets a replacement thread.
  static void watch(const std::shared_ptr<Core>& core) {
    std::unique_lock lock(core->mutex);
    while (!core->stopping) {
      core->changed.wait_for(lock, kWatchEvery);
      if (core->stopping) break;
      const auto late = Clock::now() - core->limits.deadline;
      for (auto it = core->jobs.begin(); it != core->jobs.end();) {
        if (it->task.abandoned && it->submitted < late) {
          ++core->abandoned;
          core->deliver_later(std::move(it->task.abandoned));
          it = core->jobs.erase(it);
        } else {
          ++it;
        }
      }
      for (auto& [id, r] : core->running) {
        if (!r.abandoned || r.submitted >= late) continue;
        ++core->abandoned;
        core->deliver_later(std::move(r.abandoned));
        r.abandoned = nullptr;
        r.dropped = true;
        ++core->target;
        spawn(core);
      }
    }
  }

  void deliver() {
    while (true) {
      Delivery delivery;
      {
        std::unique_lock lock(delivery_mutex);
        delivery_ready.wait(lock, [&] { return deliveries_closed || !deliveries.empty(); });
        if (deliveries.empty()) return;
        delivery = std::move(deliveries.front());
        deliveries.pop_front();
      }
      delivery();
    }
  }
};

LoaderPool::LoaderPool(Limits limits) : core_(std::make_shared<Core>()) {
  core_->limits = limits;
  delivery_thread_ = std::thread([core = core_] { core->deliver(); });
  {
    const std::lock_guard lock(core_->mutex);
    core_->target = limits.threads;
    for (unsigned i = 0; i < limits.threads; ++i) Core::spawn(core_);
  }
  watchdog_ = std::thread([core = core_] { Core::watch(core); });
}

LoaderPool::~LoaderPool() { stop(); }

void LoaderPool::stop(std::chrono::milliseconds grace) {
  {
    std::unique_lock lock(core_->mutex);
    if (!core_->stopping) {
      core_->stopping = true;
      core_->jobs.clear();
    }
    core_->ready.notify_all();
    core_->changed.notify_all();
    // The loaders in hand finish and deliver; one stuck past the grace period is left behind, detached.
    core_->changed.wait_for(lock, grace, [&] { return core_->live == 0; });
  }
  if (watchdog_.joinable()) watchdog_.join();
  {
    const std::lock_guard lock(core_->delivery_mutex);
    core_->deliveries_closed = true;  // those made so far still run; later ones are dropped
  }
  core_->delivery_ready.notify_all();
  if (delivery_thread_.joinable()) delivery_thread_.join();
}

bool LoaderPool::submit(Task task) {
  {
    const std::lock_guard lock(core_->mutex);
    if (core_->stopping || core_->jobs.size() >= core_->limits.max_queued) return false;
    core_->jobs.push_back({std::move(task), Clock::now()});
  }
  core_->ready.notify_all();
  return true;
}

std::size_t LoaderPool::queued() const {
  const std::lock_guard lock(core_->mutex);
  return core_->jobs.size();
}

std::uint64_t LoaderPool::abandoned() const {
  const std::lock_guard lock(core_->mutex);
  return core_->abandoned;
}

}  // namespace sslbind::serve
