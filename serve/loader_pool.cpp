#include "serve/loader_pool.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <openssl/crypto.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

namespace sslbind::serve {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kTrimQuietPeriod = std::chrono::seconds(1);
constexpr auto kWatchEvery = std::chrono::milliseconds(100);
constexpr int kRescueAfterPart = 5;  // a fifth of the deadline: 1 s of a certificate load's 5 s
constexpr int kRescuerNiceness = 10;

pid_t this_thread_id() { return static_cast<pid_t>(::syscall(SYS_gettid)); }

// Parsing a PFX is CPU work (key derivation): loaders run at the highest niceness, so that a storm of cold names takes
// about 1.5% of a core from each busy I/O thread rather than a core. Not SCHED_IDLE: a loader there gets no CPU at
// all while other work keeps every core busy, and one starved while it holds one of OpenSSL's global locks (its
// algorithm and decoder caches, written on a process's first parse of each kind) stalled an I/O thread's handshake
// behind it for seconds (seen in tests/e2e/serve_faults_test.cpp's "every core kept busy").
void set_lowest_priority() {
  constexpr int kNiceness = 19;
  setpriority(PRIO_PROCESS, static_cast<id_t>(this_thread_id()), kNiceness);
}

// The rescuer runs between the loaders and the I/O threads: it makes progress while other work keeps every core busy
// (a tenth of a core against each busy thread, seven times a loader's share), and a storm of starved loads takes that
// much from an I/O thread, not a core. Raising a thread's niceness needs no privilege; lowering it back would.
void set_rescuer_priority() { setpriority(PRIO_PROCESS, static_cast<id_t>(this_thread_id()), kRescuerNiceness); }

// Whether a thread of this process is runnable ('R': running, or waiting for a core) rather than asleep in a system
// call: a starved loader is runnable, one blocked on a hung share is not (and must not be copied onto the rescuer).
bool runnable(pid_t thread) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/task/%d/stat", static_cast<int>(thread));
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char text[512];
  const ssize_t n = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  if (n <= 0) return false;
  text[n] = '\0';
  const char* close_paren = std::strrchr(text, ')');  // the thread's name may hold spaces and parentheses
  return close_paren != nullptr && close_paren[1] == ' ' && close_paren[2] == 'R';
}

}  // namespace

// Everything the threads share, owned jointly by the pool and its threads: a thread left behind in a hung share by
// stop() finds it alive when its system call returns.
struct LoaderPool::Core {
  // One job from its start to its answer; a rescued job may have two runs (its loader's and the rescuer's).
  struct Started {
    Clock::time_point submitted;
    Delivery abandoned;  // empty: no deadline
    Job again;           // a repeatable job's copy for the rescuer; empty once taken
    bool answered = false;
    bool timed_out = false;
    bool hedged = false;  // its copy was handed to the rescuer
  };
  struct Queued {
    Task task;
    Clock::time_point submitted;
  };
  struct Run {
    std::shared_ptr<Started> job;
    std::string group;  // empty for the rescuer's copy of a running job: the group counts the job once
    bool on_rescuer = false;
    pid_t thread = 0;
    bool replaced = false;  // abandoned at the deadline: a new thread took this one's place
  };

  Limits limits;
  std::mutex mutex;
  std::condition_variable ready;    // a job, or the stop
  std::condition_variable changed;  // a thread exited; the watchdog's wake-up
  std::deque<Queued> jobs;
  std::deque<std::shared_ptr<Started>> hedges;  // running jobs whose copy waits for the rescuer
  std::map<std::uint64_t, Run> running;
  std::map<std::string, std::size_t> per_group;
  std::uint64_t next_id = 0;
  unsigned live = 0;    // loader threads alive
  unsigned target = 0;  // loader threads wanted: limits.threads plus one per abandoned job still running
  unsigned rescuers_live = 0, rescuers_target = 0;
  bool stopping = false;
  std::uint64_t abandoned = 0, rescued = 0;

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

  // A job with a deadline that waited this long has been starved (a load takes milliseconds of CPU).
  Clock::time_point rescue_point() const { return Clock::now() - limits.deadline / kRescueAfterPart; }

  // The first queued job whose group has room; jobs.end() when none. The rescuer takes only those with a deadline
  // that waited past the rescue point.
  std::deque<Queued>::iterator startable(bool rescuer) {
    const auto rescue_from = rescue_point();
    for (auto it = jobs.begin(); it != jobs.end(); ++it) {
      if (rescuer && (!it->task.abandoned || it->submitted >= rescue_from)) continue;
      if (it->task.group.empty() || per_group[it->task.group] < limits.max_per_group) return it;
    }
    return jobs.end();
  }

  static void spawn(const std::shared_ptr<Core>& core, bool rescuer) {
    ++(rescuer ? core->rescuers_live : core->live);
    std::thread([core, rescuer] { core->serve(rescuer); }).detach();
  }

  // Takes the next job for this thread (mutex held): a queued one, or for the rescuer a starved one's copy; none when
  // the only copies left belong to jobs answered meanwhile.
  std::optional<std::uint64_t> take(bool rescuer, Job& job) {
    const std::uint64_t id = next_id++;
    while (rescuer && !hedges.empty()) {
      std::shared_ptr<Started> started = std::move(hedges.front());
      hedges.pop_front();
      if (started->answered || !started->again) continue;
      job = std::move(started->again);
      running[id] = Run{std::move(started), {}, true, this_thread_id()};
      return id;
    }
    const auto it = startable(rescuer);
    if (it == jobs.end()) return std::nullopt;
    Queued queued = std::move(*it);
    jobs.erase(it);
    if (!queued.task.group.empty()) ++per_group[queued.task.group];
    auto started = std::make_shared<Started>();
    started->submitted = queued.submitted;
    started->abandoned = std::move(queued.task.abandoned);
    if (queued.task.repeatable && started->abandoned && !rescuer) started->again = queued.task.job;
    job = std::move(queued.task.job);
    running[id] = Run{std::move(started), std::move(queued.task.group), rescuer, this_thread_id()};
    return id;
  }

  void serve(bool rescuer) {
    if (rescuer) {
      set_rescuer_priority();
    } else {
      set_lowest_priority();
    }
    unsigned& alive = rescuer ? rescuers_live : live;
    unsigned& wanted = rescuer ? rescuers_target : target;
    bool trimmed = true;
    std::unique_lock lock(mutex);
    while (true) {
      const auto has_work = [&] {
        return stopping || alive > wanted || (rescuer && !hedges.empty()) || startable(rescuer) != jobs.end();
      };
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
      if (stopping || alive > wanted) break;  // stopped, or one too many since an abandoned job came back
      Job job;
      const auto taken = take(rescuer, job);
      if (!taken) continue;
      const std::uint64_t id = *taken;
      lock.unlock();
      Delivery delivery = job();
      lock.lock();
      const auto r = running.find(id);
      if (!r->second.group.empty()) --per_group[r->second.group];
      if (r->second.replaced) --wanted;  // its replacement carries on; one of the two goes
      Started& started = *r->second.job;
      if (!started.answered) {
        started.answered = true;
        if (rescuer) ++rescued;
        deliver_later(std::move(delivery));
      }
      running.erase(r);
      trimmed = false;
      ready.notify_all();  // its group has room again
    }
    // A thread is detached, so the process may exit before its thread-local destructors run: free OpenSSL's
    // per-thread state (errors queued by a failed parse) before saying it is gone.
    lock.unlock();
    OPENSSL_thread_stop();
    lock.lock();
    --alive;
    changed.notify_all();
  }

  // Every kWatchEvery: jobs past their deadline are answered as abandoned, and each thread still running one gets a
  // replacement; running jobs that waited past the rescue point on a starved loader get a copy on the rescuer.
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
      const auto rescue_from = core->rescue_point();
      for (auto& [id, r] : core->running) {
        Started& job = *r.job;
        if (!job.answered && job.abandoned && job.submitted < late) {
          ++core->abandoned;
          job.answered = job.timed_out = true;
          core->deliver_later(std::move(job.abandoned));
          job.again = nullptr;
        }
        if (job.timed_out && !r.replaced) {
          r.replaced = true;
          ++(r.on_rescuer ? core->rescuers_target : core->target);
          spawn(core, r.on_rescuer);
        } else if (job.again && !job.hedged && !job.answered && job.submitted < rescue_from && runnable(r.thread)) {
          job.hedged = true;
          core->hedges.push_back(r.job);  // take() moves the copy out of it
        }
      }
      // The rescuer is woken only when it has something: a starved job's copy, or a queued job past the rescue point.
      if (!core->hedges.empty() || core->startable(true) != core->jobs.end()) core->ready.notify_all();
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
    for (unsigned i = 0; i < limits.threads; ++i) Core::spawn(core_, false);
    core_->rescuers_target = 1;
    Core::spawn(core_, true);
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
      core_->hedges.clear();
    }
    core_->ready.notify_all();
    core_->changed.notify_all();
    // The loaders in hand finish and deliver; one stuck past the grace period is left behind, detached.
    core_->changed.wait_for(lock, grace, [&] { return core_->live == 0 && core_->rescuers_live == 0; });
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

std::uint64_t LoaderPool::rescued() const {
  const std::lock_guard lock(core_->mutex);
  return core_->rescued;
}

}  // namespace sslbind::serve
