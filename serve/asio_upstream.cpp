#include "serve/asio_upstream.hpp"

#include <sys/socket.h>

#include <asio/connect.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <cerrno>
#include <utility>

#include "serve/clock.hpp"
#include "serve/socket_address.hpp"

namespace sslbind::serve {
namespace {

// As many as the requests in flight to one server at a peak of this thread's: an HTTP/2 connection alone may have
// a hundred. HAProxy keeps every one (http-reuse, pool-max-conn -1); the age below closes what a peak left.
constexpr std::size_t kMaxIdlePerServer = 1024;
constexpr auto kMaxIdleAge = std::chrono::seconds(30);  // below the keep-alive timeouts of IIS (120 s), nginx (75 s)
constexpr std::size_t kMaxPooledBuffers = 256;          // 4 MiB a thread at most, once that many were busy at once

// A web worker's connection. Its response is read when the socket says it is readable: a wait is armed (one
// epoll_ctl) rather than a read tried at once after the request goes out, which finds nothing yet. The same wait
// watches the connection while it is pooled: a web worker sends nothing unasked, so a wait that completes then means
// it closed the connection (or broke the protocol), and the pool drops it; a reused connection's wait carries on into
// its next response. That makes a request's web-worker side three system calls (arm, send, receive), where a check
// at each reuse (a MSG_PEEK) and a speculative read made it four.
class SocketConnection : public UpstreamConnection {
 public:
  explicit SocketConnection(asio::ip::tcp::socket socket) : s_(std::make_shared<State>(std::move(socket))) {
    asio::error_code ignored;
    s_->socket.non_blocking(true, ignored);  // a read after the wait never blocks the thread
  }
  ~SocketConnection() override { close(); }
  void write(std::shared_ptr<const std::string> bytes, Done done) override {
    asio::async_write(s_->socket, asio::buffer(*bytes),
                      [s = s_, bytes, done = std::move(done)](const asio::error_code& ec, std::size_t) { done(!ec); });
  }
  void read_some(char* into, std::size_t size, Got got) override {
    State& s = *s_;
    if (s.readable || s.last_full) {
      // Bytes are there (or may be: the last read filled its buffer): read now, on the loop.
      s.readable = false;
      s.socket.async_read_some(asio::buffer(into, size),
                               [s = s_, size, got = std::move(got)](const asio::error_code& ec, std::size_t n) {
                                 s->last_full = !ec && n == size;
                                 got(!ec, n);
                               });
      return;
    }
    s.into = into;
    s.size = size;
    s.got = std::move(got);
    if (!s.waiting) arm(s_);
  }
  void shutdown_send() override {
    asio::error_code ignored;
    s_->socket.shutdown(asio::socket_base::shutdown_send, ignored);
  }
  void close() override {
    asio::error_code ignored;
    s_->socket.close(ignored);  // a pending wait completes with an error: a read asked for fails
  }

  // Pooled: `gone` runs if the web worker closes it meanwhile. False: it is not fit to pool (bytes came unasked).
  bool pool(std::function<void()> gone) {
    if (s_->readable || s_->got) return false;
    // The response ended: nothing more is expected, so the next request's read waits on this same wait rather
    // than a speculative read beside it (which would leave the wait to complete unheard and mark it readable).
    s_->last_full = false;
    s_->gone = std::move(gone);
    if (!s_->waiting) arm(s_);
    return true;
  }
  void unpool() { s_->gone = nullptr; }

 private:
  struct State {
    explicit State(asio::ip::tcp::socket s) : socket(std::move(s)) {}
    asio::ip::tcp::socket socket;
    bool waiting = false;    // a wait for readability is armed
    bool readable = false;   // it completed while nobody read: the next read reads at once
    bool last_full = false;  // the last read filled its buffer: more may be there already
    char* into = nullptr;    // the read asked for, while `got` is set
    std::size_t size = 0;
    Got got;
    std::function<void()> gone;  // while pooled
  };

  // The handler holds the state (and its socket) until it runs, whatever happened to the connection meanwhile.
  static void arm(const std::shared_ptr<State>& state) {
    state->waiting = true;
    state->socket.async_wait(asio::socket_base::wait_read, [state](const asio::error_code& ec) {
      State& s = *state;
      s.waiting = false;
      if (ec) {
        if (s.got) std::exchange(s.got, nullptr)(false, 0);
        return;
      }
      if (s.got) {
        asio::error_code read_error;
        const std::size_t n = s.socket.read_some(asio::buffer(s.into, s.size), read_error);
        if (read_error == asio::error::would_block || read_error == asio::error::try_again) return arm(state);
        s.last_full = !read_error && n == s.size;
        std::exchange(s.got, nullptr)(!read_error, n);
        return;
      }
      if (s.gone) return std::exchange(s.gone, nullptr)();  // closed while pooled: out of the pool
      s.readable = true;
    });
  }

  std::shared_ptr<State> s_;
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
  std::deque<Idle>& pool = it->second;
  if (pool.empty()) return nullptr;
  Idle newest = std::move(pool.back());  // the likeliest to be open still
  pool.pop_back();
  if (coarse_now() - newest.since >= kMaxIdleAge) {
    pool.clear();  // the ones before it are older still
    return nullptr;
  }
  static_cast<SocketConnection&>(*newest.connection).unpool();
  return std::move(newest.connection);
}

void AsioUpstream::keep_idle(const std::string& server, std::unique_ptr<UpstreamConnection> connection) {
  std::deque<Idle>& pool = idle_[server];
  const auto now = coarse_now();
  // What a past peak left and nothing took since goes (closed as it goes out of scope).
  while (!pool.empty() && now - pool.front().since >= kMaxIdleAge) pool.pop_front();
  if (pool.size() >= kMaxIdlePerServer) return;
  auto& socket = static_cast<SocketConnection&>(*connection);
  // Closed by its web worker while pooled: out of the pool (and closed). A map's elements stay put, and drop_idle()
  // closes the pooled connections before the pool goes.
  const bool fit = socket.pool([&pool, gone = &socket] {
    std::erase_if(pool, [gone](const Idle& idle) { return idle.connection.get() == gone; });
  });
  if (fit) pool.push_back(Idle{std::move(connection), now});
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
