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
  // Finishes the jobs in hand, drops the queued ones and joins the threads; submit() refuses from then on.
  void stop();
  LoaderPool(const LoaderPool&) = delete;
  LoaderPool& operator=(const LoaderPool&) = delete;

  // False when the queue is full: the caller fails that one request.
  bool submit(std::function<void()> job);
  std::size_t queued() const;

 private:
  void work();

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::size_t max_queued_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace sslbind::serve
