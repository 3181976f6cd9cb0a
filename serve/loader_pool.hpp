#pragma once
// Loader threads: where certificate files are read and parsed, so that no I/O thread ever waits for a disk or a
// network share. The queue is bounded: a flood of cold names is refused, not buffered without end.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sslbind::serve {

class LoaderPool {
 public:
  LoaderPool(unsigned threads, std::size_t max_queued);
  ~LoaderPool();  // stop()
  // Finishes the jobs in hand and their deliveries, drops the queued ones and joins the threads; submit() refuses
  // from then on.
  void stop();
  LoaderPool(const LoaderPool&) = delete;
  LoaderPool& operator=(const LoaderPool&) = delete;

  // A job (the load) runs on a loader thread at the lowest priority and returns its delivery, which runs on the
  // delivery thread at normal priority. The delivery takes the locks the I/O threads take (the cache, the loops'
  // queues): a lowest-priority thread preempted while holding one of them would stall an I/O thread behind the
  // other loaders' work, and an unprivileged thread cannot raise its own priority back for that moment.
  using Delivery = std::function<void()>;
  using Job = std::function<Delivery()>;
  // False when the queue is full: the caller fails that one request.
  bool submit(Job job);
  std::size_t queued() const;

 private:
  void load();
  void deliver();

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> jobs_;
  std::size_t max_queued_;
  bool stopping_ = false;
  std::vector<std::thread> loaders_;

  std::mutex delivery_mutex_;
  std::condition_variable delivery_ready_;
  std::deque<Delivery> deliveries_;
  bool loaders_gone_ = false;
  std::thread delivery_thread_;
};

}  // namespace sslbind::serve
