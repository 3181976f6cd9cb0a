#include "serve/asio_upstream.hpp"

#include <sys/socket.h>

#include <asio/connect.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <cerrno>

#include "serve/clock.hpp"
#include "serve/socket_address.hpp"

namespace sslbind::serve {
namespace {

// As many as the requests in flight to one server at a peak of this thread's: an HTTP/2 connection alone may have
// a hundred. HAProxy keeps every one (http-reuse, pool-max-conn -1); the age below closes what a peak left.
constexpr std::size_t kMaxIdlePerServer = 1024;
constexpr auto kMaxIdleAge = std::chrono::seconds(30);  // below the keep-alive timeouts of IIS (120 s), nginx (75 s)
constexpr std::size_t kMaxPooledBuffers = 256;          // 4 MiB a thread at most, once that many were busy at once

class SocketConnection : public UpstreamConnection {
 public:
  explicit SocketConnection(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {}
  // Handlers capture only the caller's callback (and the bytes): they may complete after this object is gone.
  void write(std::shared_ptr<const std::string> bytes, Done done) override {
    asio::async_write(socket_, asio::buffer(*bytes),
                      [bytes, done = std::move(done)](const asio::error_code& ec, std::size_t) { done(!ec); });
  }
  void read_some(char* into, std::size_t size, Got got) override {
    socket_.async_read_some(asio::buffer(into, size),
                            [got = std::move(got)](const asio::error_code& ec, std::size_t n) { got(!ec, n); });
  }
  void shutdown_send() override {
    asio::error_code ignored;
    socket_.shutdown(asio::socket_base::shutdown_send, ignored);
  }
  void close() override {
    asio::error_code ignored;
    socket_.close(ignored);
  }
  // Nothing to read yet (a web worker sends nothing unasked): it has not closed the connection.
  bool still_open() {
    char byte = 0;
    const ssize_t n = ::recv(socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }

 private:
  asio::ip::tcp::socket socket_;
};

class SteadyTimer : public UpstreamTimer {
 public:
  explicit SteadyTimer(asio::io_context& io) : timer_(io) {}
  void start(std::chrono::milliseconds after, std::function<void()> fire) override {
    timer_.expires_at(coarse_now() + after);
    timer_.async_wait([fire = std::move(fire)](const asio::error_code& ec) {
      if (!ec) fire();
    });
  }
  void cancel() override { timer_.cancel(); }

 private:
  asio::steady_timer timer_;
};

}  // namespace

void AsioUpstream::connect(const IpPort& address, Connected done) {
  // The socket and its deadline live until the connect completes; the deadline closes the socket, which completes
  // the connect with an error.
  auto socket = std::make_shared<asio::ip::tcp::socket>(io_);
  auto deadline = std::make_shared<asio::steady_timer>(io_, connect_timeout_);
  deadline->async_wait([weak = std::weak_ptr(socket)](const asio::error_code& ec) {
    if (ec) return;
    if (const auto s = weak.lock()) {
      asio::error_code ignored;
      s->close(ignored);
    }
  });
  socket->async_connect(endpoint_of(address), [socket, deadline, done = std::move(done)](const asio::error_code& ec) {
    deadline->cancel();
    if (ec) return done(nullptr);
    asio::error_code ignored;
    socket->set_option(asio::ip::tcp::no_delay(true), ignored);
    done(std::make_unique<SocketConnection>(std::move(*socket)));
  });
}

std::unique_ptr<UpstreamConnection> AsioUpstream::take_idle(const std::string& server) {
  const auto it = idle_.find(server);
  if (it == idle_.end()) return nullptr;
  const auto now = coarse_now();
  std::deque<Idle>& pool = it->second;
  while (!pool.empty()) {
    Idle newest = std::move(pool.back());  // the likeliest to be open still
    pool.pop_back();
    if (now - newest.since >= kMaxIdleAge) {
      pool.clear();  // the ones before it are older still
      break;
    }
    if (static_cast<SocketConnection&>(*newest.connection).still_open()) return std::move(newest.connection);
  }
  return nullptr;
}

void AsioUpstream::keep_idle(const std::string& server, std::unique_ptr<UpstreamConnection> connection) {
  std::deque<Idle>& pool = idle_[server];
  const auto now = coarse_now();
  // What a past peak left and nothing took since goes (closed as it goes out of scope).
  while (!pool.empty() && now - pool.front().since >= kMaxIdleAge) pool.pop_front();
  if (pool.size() >= kMaxIdlePerServer) return;
  pool.push_back(Idle{std::move(connection), now});
}

std::unique_ptr<UpstreamTimer> AsioUpstream::timer() { return std::make_unique<SteadyTimer>(io_); }

Upstream::Buffer AsioUpstream::take_buffer() {
  if (buffers_.empty()) return std::make_unique_for_overwrite<char[]>(kBufferSize);
  Buffer buffer = std::move(buffers_.back());
  buffers_.pop_back();
  return buffer;
}

void AsioUpstream::give_buffer(Buffer buffer) {
  if (buffer && buffers_.size() < kMaxPooledBuffers) buffers_.push_back(std::move(buffer));
}

}  // namespace sslbind::serve
