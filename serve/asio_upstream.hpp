#pragma once
// The real Upstream of one I/O thread: TCP connections on its asio loop, its keep-alive pool (per server, newest
// first, as many as a peak left, none older than 30 s, each watched while pooled and dropped when its web worker
// closes it) and its pool of read buffers.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "serve/upstream.hpp"

namespace sslbind::serve {

class AsioUpstream : public Upstream {
 public:
  // Uses `io` only after construction: it may be declared (and built) after this object.
  AsioUpstream(asio::io_context& io, const std::chrono::milliseconds& connect_timeout)
      : io_(io), connect_timeout_(connect_timeout) {}
  void connect(const IpPort& address, Connected done) override;
  std::unique_ptr<UpstreamConnection> take_idle(const std::string& server) override;
  void keep_idle(const std::string& server, std::unique_ptr<UpstreamConnection> connection) override;
  std::unique_ptr<UpstreamTimer> timer() override;
  Buffer take_buffer() override;
  void give_buffer(Buffer buffer) override;
  std::size_t next_turn() override { return turn_++; }
  // Closes the pooled connections: before the loop they belong to is destroyed.
  void drop_idle() { idle_.clear(); }

 private:
  struct Idle {
    std::unique_ptr<UpstreamConnection> connection;
    std::chrono::steady_clock::time_point since;
  };
  asio::io_context& io_;
  const std::chrono::milliseconds& connect_timeout_;        // the front end's, as it is when a connect starts
  std::unordered_map<std::string, std::deque<Idle>> idle_;  // per server, oldest first
  std::vector<Buffer> buffers_;
  std::size_t turn_ = 0;
};

}  // namespace sslbind::serve
