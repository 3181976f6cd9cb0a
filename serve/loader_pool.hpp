#pragma once
// Loader threads: where certificate files are read and parsed (and the CCS folder listed), so that no I/O thread ever
// waits for a disk or a network share. The queue is bounded: a flood of cold names is refused, not buffered without
// end. No share can take the pool: at most max_per_group jobs of one group (a CCS folder, the stores) run at once,
// each job with a deadline is abandoned once it passes it (its waiters are answered, its thread replaced), and
// stop() returns within its grace period whatever a job is stuck in.
//
// Loaders run at the highest niceness, so that a storm of cold names never takes a core from an I/O thread. The price
// is starvation: while other work keeps every core busy, a loader gets about 1.5% of a core against each busy thread.
// So a job with a deadline that has waited a fifth of it is rescued by one thread at niceness 10 (the rescuer): a
// queued one is started there, and a running one whose job may run twice (`repeatable`) and whose loader is runnable
// but not running (starved, not blocked on a share) is run there a second time; the first of the two to finish
// delivers.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace sslbind::serve {

class LoaderPool {
 public:
  struct Limits {
    unsigned threads = 4;
    std::size_t max_queued = 1024;
    std::size_t max_per_group = 2;
    std::chrono::milliseconds deadline{10'000};  // from submit() to the job's end
  };
  explicit LoaderPool(Limits limits);
  ~LoaderPool();  // stop()
  LoaderPool(const LoaderPool&) = delete;
  LoaderPool& operator=(const LoaderPool&) = delete;

  // Drops the queued jobs, lets the running ones finish and deliver for up to `grace`, then leaves any still running
  // behind (a thread stuck in a hung share must not hold up a stop); submit() refuses from then on.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(2));

  // A job (the load) runs on a loader thread at the highest niceness and returns its delivery, which runs on the
  // delivery thread at normal priority. The delivery takes the locks the I/O threads take (the cache, the loops'
  // queues): a lowest-priority thread preempted while holding one of them would stall an I/O thread behind the
  // other loaders' work, and an unprivileged thread cannot raise its own priority back for that moment.
  using Delivery = std::function<void()>;
  using Job = std::function<Delivery()>;
  struct Task {
    Job job;
    std::string group;  // at most max_per_group jobs of one group run at once
    // Runs on the delivery thread when the job passed the deadline, queued or running; its delivery is then
    // dropped. Empty: the job has no deadline (the CCS listing, which goes on in the background).
    Delivery abandoned;
    // The job only reads and computes (a certificate load): a copy may run on the rescuer while the first is starved.
    bool repeatable = false;
  };
  // False when the queue is full or the pool stopped: the caller fails that one request.
  bool submit(Task task);
  bool submit(Job job) { return submit(Task{std::move(job), {}, {}, false}); }
  std::size_t queued() const;
  std::uint64_t abandoned() const;  // jobs that passed their deadline
  std::uint64_t rescued() const;    // jobs answered by the rescuer after waiting a fifth of their deadline

  struct Core;

 private:
  std::shared_ptr<Core> core_;
  std::thread watchdog_;
  std::thread delivery_thread_;
};

}  // namespace sslbind::serve
