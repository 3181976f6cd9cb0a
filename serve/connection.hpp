#pragma once
// One client connection on an I/O thread: its TLS stream, its handshake (paused while a loader thread reads the
// certificate), its timer, and then the session choose_session() picks. The connection owns the lifetime: every
// asynchronous wait holds it, and a session's continuations run only while it is open. Any fault drops this
// connection only, and is counted.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <memory>

#include "serve/client_certificate.hpp"
#include "serve/handshake.hpp"
#include "serve/session.hpp"
#include "serve/tls_stream.hpp"

namespace sslbind::serve {

class Worker;
struct SharedState;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Worker& worker, asio::ip::tcp::socket socket);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start();
  // On a graceful stop: closes the connection if its session is idle between two requests, else tells the session
  // to drain. A connection that has not sent its first request yet is served as the drain allows.
  void close_if_idle();

  // For the sessions.
  Worker& worker() { return worker_; }
  SharedState& shared();
  TlsStream& stream() { return stream_; }
  const Handshake& handshake() const { return handshake_; }
  const IpPort& client() const { return client_; }
  // The client's certificate and its verdict, where the binding negotiates one and the client sent one; else null.
  const std::shared_ptr<const ClientCertificate>& client_certificate() const { return client_certificate_; }
  bool client_certificate_refused() const {
    return client_certificate_ && client_certificate_->verdict != ClientCertificate::Verdict::Trusted;
  }
  bool closed() const { return closed_; }
  void close();
  // Worker's idle sweep: the session gives back its idle memory if it is still idle.
  void release_if_idle() {
    if (session_ && !closed_) session_->release_if_idle();
  }
  // Closes after an answer the front end wrote itself, without a reset destroying it.
  void linger_close();
  // The connection's one deadline, `after` from now: when it passes, `why` is counted and the connection closes.
  void arm_timer(std::chrono::milliseconds after, Failure why);
  // Runs `next` once the socket is ready the way the stream asked for after Again, unless the connection closed.
  template <class Next>
  void wait(Next next) {
    stream_.socket().async_wait(stream_.wants_write() ? asio::socket_base::wait_write : asio::socket_base::wait_read,
                                [self = shared_from_this(), next](const asio::error_code& ec) {
                                  if (self->closed_ || self->lingering_) return;
                                  if (ec) return self->close();
                                  next();
                                });
  }
  // An asynchronous operation's handler that holds the connection and runs only while it is open.
  template <class Handler>
  auto guard(Handler handler) {
    return [self = shared_from_this(), handler](auto&&... args) {
      if (self->closed_) return;
      handler(std::forward<decltype(args)>(args)...);
    };
  }

 private:
  void handshake_step();
  void established();
  void open_session();
  // Judges the client's certificate; false while a CRL it needs is being fetched (open_session() is called again).
  bool judge_client_certificate();
  void drain();
  void start_timer();

  Worker& worker_;
  TlsStream stream_;
  // Bound to the loop's own executor type rather than any_io_executor: 32 bytes less on every connection.
  asio::basic_waitable_timer<std::chrono::steady_clock, asio::wait_traits<std::chrono::steady_clock>,
                             asio::io_context::executor_type>
      timer_;
  std::chrono::steady_clock::time_point deadline_;      // when the connection times out, unless pushed on
  std::chrono::steady_clock::time_point timer_expiry_;  // when the pending timer wait fires
  Failure deadline_why_ = Failure::IdleTimeout;
  bool timer_pending_ = false;
  Handshake handshake_;
  IpPort client_{};
  bool closed_ = false;
  bool lingering_ = false;
  std::unique_ptr<Session> session_;
  std::unique_ptr<ChainCheck> chain_check_;  // while CRLs are fetched
  std::shared_ptr<const ClientCertificate> client_certificate_;
};

}  // namespace sslbind::serve
