#pragma once
// A web worker that records every byte it receives, on every connection, in the order they came, and answers with
// bytes the test scripts: the proxy rules test compares what a web worker really got with what it must get. It
// answers once the front end has gone quiet for a moment (it does not parse: what it received is judged by the test),
// then keeps the connection unless told to close it.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sslbind::test {

class RecordingWorker {
 public:
  RecordingWorker();
  ~RecordingWorker();  // stops listening, closes every connection and joins every thread
  RecordingWorker(const RecordingWorker&) = delete;
  RecordingWorker& operator=(const RecordingWorker&) = delete;

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // What it answers from now on, and whether it closes the connection after the answer.
  void script(std::string answer, bool close_after = false);
  // Every byte received since the last call, and the connections accepted in all.
  std::string take();
  int connections() const { return connections_.load(); }

 private:
  void serve(int fd);

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::string received_;
  std::string answer_ = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  bool close_after_ = false;
  std::vector<int> open_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace sslbind::test
