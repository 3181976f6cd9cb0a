#pragma once
// A web worker for the proxy tests, in the test process: it listens on 127.0.0.1 (a port of its own), serves each
// connection on a thread, keeps every request it received (head and body size) and answers by path:
//   /echo        200 with the request head as the body (Content-Length)
//   /big?n=N     N bytes of a fixed pattern (Content-Length); /chunked?n=N the same, chunked
//   /body        reads the body (Content-Length or chunked) without keeping it; answers its size and a checksum
//   /slow?ms=M   waits M ms first
//   /reset       closes the connection without answering
//   /close       answers without a length and closes (the body ends with the connection)
//   /trailers    103 Early Hints, then 200 with a chunked body "hello" and the trailer fields grpc-status, X-Checksum
//   /ws          answers 101 and echoes every byte after it (a WebSocket-like tunnel)
//   /wsecho      a real RFC 6455 server: the accept key, then each frame echoed until a close
//   /page        an HTML page that loads /asset?n=1..3 and opens a WebSocket to /wsecho; its script then asks for
//                /done?assets=N&echo=TEXT, which the test reads from requests()
// "Expect: 100-continue" gets "100 Continue" before the body is read. HEAD gets the head of GET.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sslbind::test {

struct ReceivedRequest {
  std::string head;  // request line and fields, as they came
  std::uint64_t body_bytes = 0;
  std::string trailers;  // the trailer fields after a chunked body's last chunk, as they came
  int connection = 0;    // which accepted connection (1, 2, ...) carried it
};

class HttpBackend {
 public:
  // On `port` of 127.0.0.1, or on a port of its own (0).
  explicit HttpBackend(std::uint16_t port = 0);
  ~HttpBackend();  // stops listening and joins every thread
  HttpBackend(const HttpBackend&) = delete;
  HttpBackend& operator=(const HttpBackend&) = delete;

  std::uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::vector<ReceivedRequest> requests() const;
  int connections() const { return connections_.load(); }

  // The checksum /body answers with, for a body of these bytes.
  static std::uint64_t checksum(const std::string& bytes, std::uint64_t start = 0);
  static char pattern(std::uint64_t i) { return static_cast<char>('a' + i % 26); }

 private:
  void serve(int fd, int connection);
  void finish(int fd);  // closes a connection, which the destructor then no longer shuts down

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> requests_;
  std::vector<int> open_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace sslbind::test
