#pragma once
// The web workers' side of serve, as the exchange and the pipes see it: connections to servers ("host:port"), this
// thread's keep-alive pool of them, timers and read buffers. An interface, so that the exchange's rules can be
// tested in-process against a fake (tests/unit/exchange_test.cpp); AsioUpstream is the real one, on a worker's loop.
// Every completion runs on the owner's loop, later, never inside the call that started it.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/endpoint.hpp"

namespace sslbind::serve {

class UpstreamConnection {
 public:
  using Done = std::function<void(bool ok)>;
  using Got = std::function<void(bool ok, std::size_t n)>;
  virtual ~UpstreamConnection() = default;
  // Writes all of `bytes`; ok false: the web worker closed or failed.
  virtual void write(std::shared_ptr<const std::string> bytes, Done done) = 0;
  // Reads what came, at most `size` bytes into `into`; ok false: closed or failed.
  virtual void read_some(char* into, std::size_t size, Got got) = 0;
  virtual void shutdown_send() = 0;
  // Pending operations complete with ok false.
  virtual void close() = 0;
};

class UpstreamTimer {
 public:
  virtual ~UpstreamTimer() = default;
  // `fire` runs once after `after`, unless the timer is started again or cancelled first.
  virtual void start(std::chrono::milliseconds after, std::function<void()> fire) = 0;
  virtual void cancel() = 0;
};

class Upstream {
 public:
  using Connected = std::function<void(std::unique_ptr<UpstreamConnection>)>;  // null: refused or unreachable
  static constexpr std::size_t kBufferSize = 16 * 1024;
  using Buffer = std::unique_ptr<char[]>;

  virtual ~Upstream() = default;
  virtual void connect(const IpPort& address, Connected done) = 0;
  // A pooled connection to `server` that still looks open, or null.
  virtual std::unique_ptr<UpstreamConnection> take_idle(const std::string& server) = 0;
  virtual void keep_idle(const std::string& server, std::unique_ptr<UpstreamConnection> connection) = 0;
  virtual std::unique_ptr<UpstreamTimer> timer() = 0;
  // kBufferSize bytes, taken while a response is read and given back after, so that an idle connection holds none.
  virtual Buffer take_buffer() = 0;
  virtual void give_buffer(Buffer buffer) = 0;
  // A round-robin position of this thread's, moved on by each call.
  virtual std::size_t next_turn() = 0;
};

}  // namespace sslbind::serve
