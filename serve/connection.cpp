#include "serve/connection.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <asio/connect.hpp>
#include <asio/post.hpp>
#include <asio/write.hpp>
#include <climits>

#include "core/text.hpp"
#include "serve/http_exchange.hpp"
#include "serve/proxy_protocol.hpp"
#include "serve/socket_address.hpp"
#include "serve/worker.hpp"

namespace sslbind::serve {
namespace {

constexpr std::size_t kMaxRequestHead = 16 * 1024;

std::string_view status_text(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    default: return "Request Header Fields Too Large";
  }
}

// The request head's verdict for the built-in page: whether the connection may stay open.
bool keeps_alive(std::string_view head) {
  const std::string lower = text::to_lower(head);
  const std::size_t line_end = lower.find("\r\n");
  const std::string_view request_line = std::string_view(lower).substr(0, line_end);
  const bool http10 = request_line.ends_with("http/1.0");
  if (lower.find("\r\nconnection: close") != std::string::npos) return false;
  // A body is not read by the built-in page: answer, then close, so that it is never taken for a request.
  if (lower.find("\r\ncontent-length:") != std::string::npos ||
      lower.find("\r\ntransfer-encoding:") != std::string::npos) {
    return false;
  }
  return !http10 || lower.find("\r\nconnection: keep-alive") != std::string::npos;
}

}  // namespace

Connection::Connection(Worker& worker, asio::ip::tcp::socket socket)
    : worker_(worker),
      socket_(std::move(socket)),
      timer_(worker.io()),
      backend_timer_(worker.io()),
      backend_(worker.io()) {
  worker_.shared().stats.active.fetch_add(1, std::memory_order_relaxed);
}

Connection::~Connection() {
  SSL_free(ssl_);
  worker_.shared().stats.active.fetch_sub(1, std::memory_order_relaxed);
}

void Connection::close_if_idle() {
  if (between_requests_) close();
}

void Connection::start() {
  SharedState& shared = worker_.shared();
  asio::error_code ec;
  const auto local = socket_.local_endpoint(ec);
  const auto remote = ec ? asio::ip::tcp::endpoint() : socket_.remote_endpoint(ec);
  if (ec || !worker_.snapshot() || shared.tls == nullptr) return close();
  socket_.non_blocking(true, ec);
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  const IpPort here = ip_port_of(local);
  client_ = ip_port_of(remote);
  handshake_.local = here.address;
  handshake_.port = here.port;
  handshake_.snapshot = worker_.snapshot();
  handshake_.cache = &shared.cache;
  handshake_.stores = &shared.stores;
  // Called on a loader thread when a certificate this handshake waits for is loaded: continue on our own loop.
  handshake_.resume = [weak = weak_from_this(), &io = worker_.io()] {
    asio::post(io, [weak] {
      if (auto self = weak.lock()) self->handshake();
    });
  };
  ssl_ = SSL_new(shared.tls);
  if (ssl_ == nullptr || SSL_set_fd(ssl_, socket_.native_handle()) != 1) return close();
  SSL_set_accept_state(ssl_);
  attach(ssl_, &handshake_);
  arm_timer(shared.timeouts.handshake, Failure::HandshakeTimeout);
  handshake();
}

void Connection::arm_timer(std::chrono::milliseconds after, Failure why) {
  timer_.expires_after(after);
  // Until the handshake ends the timer's wait holds the connection: while a loader thread reads its certificate,
  // nothing else does. Afterwards the socket waits hold it, and the timer only watches.
  auto held = established_ ? nullptr : shared_from_this();
  timer_.async_wait([weak = weak_from_this(), held, why](const asio::error_code& ec) {
    if (ec) return;  // re-armed or cancelled
    auto self = weak.lock();
    if (!self || self->closed_) return;
    if (!self->lingering_) self->worker_.shared().stats.fail(why);  // a lingering close ends as planned
    self->close();
  });
}

void Connection::linger_close() {
  if (closed_) return;
  // Closing with unread bytes in the socket would send a reset, which may destroy the answer just written before
  // the client reads it (a 502 to a client still sending a large body). Say goodbye, stop sending, and read
  // whatever still comes for a short while, as nginx's lingering close does.
  lingering_ = true;
  SSL_shutdown(ssl_);
  ERR_clear_error();
  asio::error_code ignored;
  socket_.shutdown(asio::socket_base::shutdown_send, ignored);
  arm_timer(std::chrono::seconds(2), Failure::IdleTimeout);
  drain();
}

void Connection::drain() {
  auto scratch = std::make_shared<std::array<char, 4096>>();
  socket_.async_read_some(asio::buffer(*scratch),
                          [self = shared_from_this(), scratch](const asio::error_code& ec, std::size_t) {
                            if (self->closed_) return;
                            if (ec) return self->close();  // the client closed too
                            self->drain();
                          });
}

void Connection::wait(bool for_write, Step next) {
  socket_.async_wait(for_write ? asio::socket_base::wait_write : asio::socket_base::wait_read,
                     [self = shared_from_this(), next](const asio::error_code& ec) {
                       if (self->closed_ || self->lingering_) return;
                       if (ec) return self->close();
                       (self.get()->*next)();
                     });
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  timer_.cancel();
  backend_timer_.cancel();
  if (http_ && http_->in_flight) {
    worker_.shared().health.finished(http_->server, 0);
    http_->in_flight = false;
  }
  asio::error_code ignored;
  if (ssl_ != nullptr && established_) {
    SSL_shutdown(ssl_);  // one try at close_notify; the socket is non-blocking and closes next
    ERR_clear_error();
  }
  backend_.close(ignored);
  socket_.close(ignored);
}

void Connection::handshake() {
  if (closed_) return;
  ERR_clear_error();
  const int r = SSL_do_handshake(ssl_);
  if (r == 1) return established();
  switch (SSL_get_error(ssl_, r)) {
    case SSL_ERROR_WANT_READ: return wait(false, &Connection::handshake);
    case SSL_ERROR_WANT_WRITE: return wait(true, &Connection::handshake);
    case SSL_ERROR_WANT_CLIENT_HELLO_CB: return;  // a loader resumes it; the handshake timer holds it meanwhile
    default:
      worker_.shared().stats.fail(handshake_.failure.value_or(Failure::BadClientHello));
      ERR_clear_error();
      return close();
  }
}

void Connection::established() {
  established_ = true;
  SharedState& shared = worker_.shared();
  if (handshake_.step) shared.stats.handshakes[static_cast<std::size_t>(*handshake_.step)].fetch_add(1);
  if (SSL_session_reused(ssl_) == 1) shared.stats.resumed.fetch_add(1, std::memory_order_relaxed);
  if (handshake_.forget_session) SSL_CTX_remove_session(shared.tls, SSL_get_session(ssl_));
  arm_timer(shared.timeouts.idle, Failure::IdleTimeout);
  if (!shared.options.backends.empty()) return connect_backend(0);
  if (!worker_.snapshot()->state().farms.farms().empty()) return http_next();
  read_requests();
}

// --- The built-in page ---

void Connection::read_requests() {
  while (!closed_) {
    between_requests_ = served_ && in_.empty();
    const std::size_t end = in_.find("\r\n\r\n");
    if (end != std::string::npos) {
      const bool keep_alive = keeps_alive(std::string_view(in_).substr(0, end + 2)) && !worker_.stopping();
      in_.erase(0, end + 4);
      answer(keep_alive, 200);
      return write_pending();
    }
    if (in_.size() > kMaxRequestHead) {
      answer(false, 431);
      return write_pending();
    }
    char buffer[4096];
    const int n = SSL_read(ssl_, buffer, sizeof buffer);
    if (n > 0) {
      in_.append(buffer, static_cast<std::size_t>(n));
      arm_timer(worker_.shared().timeouts.idle, Failure::IdleTimeout);
      continue;
    }
    switch (SSL_get_error(ssl_, n)) {
      case SSL_ERROR_WANT_READ: return wait(false, &Connection::read_requests);
      case SSL_ERROR_WANT_WRITE: return wait(true, &Connection::read_requests);
      default: ERR_clear_error(); return close();
    }
  }
}

void Connection::answer(bool keep_alive, int status) {
  served_ = true;
  worker_.shared().stats.requests.fetch_add(1, std::memory_order_relaxed);
  const std::string step = handshake_.step ? std::string(step_name(*handshake_.step)) : "";
  const std::string thumbprint = handshake_.certificate ? handshake_.certificate->thumbprint() : "";
  std::string body =
      "sslbind serve: no backend is configured, so this page answers every request.\n"
      "Binding:     " +
      handshake_.binding + " (" + step +
      ")\n"
      "Certificate: " +
      thumbprint + " from " + handshake_.source +
      "\n"
      "SNI:         " +
      (handshake_.sni.empty() ? "(none)" : handshake_.sni) +
      "\n"
      "TLS:         " +
      SSL_get_version(ssl_) + " " + SSL_get_cipher_name(ssl_) +
      "\n"
      "Client:      " +
      client_.str() + "\n";
  if (status != 200) body = std::to_string(status) + " " + std::string(status_text(status)) + "\n";
  close_after_write_ = close_after_write_ || !keep_alive;
  pending_ += "HTTP/1.1 " + std::to_string(status) + " " + std::string(status_text(status)) +
              "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
              "\r\nX-Sslbind-Binding: " + handshake_.binding + "\r\nX-Sslbind-Certificate: " + thumbprint +
              "\r\nConnection: " + (keep_alive ? "keep-alive" : "close") + "\r\n\r\n" + body;
}

bool Connection::flush_to_client(std::string& pending, Step retry, std::uint64_t* written) {
  while (!pending.empty()) {
    if (closed_) return false;
    const int n = SSL_write(ssl_, pending.data(), static_cast<int>(std::min<std::size_t>(pending.size(), INT_MAX)));
    if (n > 0) {
      pending.erase(0, static_cast<std::size_t>(n));
      if (written != nullptr) *written += static_cast<std::size_t>(n);
      continue;
    }
    switch (SSL_get_error(ssl_, n)) {
      case SSL_ERROR_WANT_WRITE: wait(true, retry); return false;
      case SSL_ERROR_WANT_READ: wait(false, retry); return false;
      default:
        ERR_clear_error();
        close();
        return false;
    }
  }
  return !closed_;
}

void Connection::write_pending() {
  if (!flush_to_client(pending_, &Connection::write_pending)) return;
  if (close_after_write_) return close();
  read_requests();
}

// --- Forwarding ---

void Connection::connect_backend(std::size_t attempt) {
  SharedState& shared = worker_.shared();
  const auto& backends = shared.options.backends;
  if (attempt >= backends.size()) {
    shared.stats.fail(Failure::BackendUnavailable);
    return close();
  }
  // Round robin from this thread's position; a backend marked down is passed over while another is up.
  const std::size_t first = attempt == 0 ? worker_.next_backend() : 0;
  std::size_t index = (first + attempt) % backends.size();
  const std::int64_t now = steady_ms();
  for (std::size_t i = 0; i < backends.size(); ++i) {
    const std::size_t candidate = (index + i) % backends.size();
    if (shared.backend_down_until[candidate].load(std::memory_order_relaxed) <= now) {
      index = candidate;
      break;
    }
  }
  asio::error_code ignored;
  backend_.close(ignored);
  arm_timer(shared.timeouts.connect, Failure::BackendUnavailable);
  backend_.async_connect(endpoint_of(backends[index]),
                         [self = shared_from_this(), index, attempt](const asio::error_code& ec) {
                           if (self->closed_) return;
                           SharedState& s = self->worker_.shared();
                           if (ec) {
                             s.backend_down_until[index].store(steady_ms() + s.timeouts.backend_down.count());
                             return self->connect_backend(attempt + 1);
                           }
                           asio::error_code e;
                           self->backend_.set_option(asio::ip::tcp::no_delay(true), e);
                           s.stats.forwarded.fetch_add(1, std::memory_order_relaxed);
                           self->arm_timer(s.timeouts.idle, Failure::IdleTimeout);
                           if (s.options.proxy_protocol) return self->send_proxy_header();
                           self->client_to_backend();
                           self->backend_to_client();
                         });
}

void Connection::send_proxy_header() {
  asio::error_code ec;
  const IpPort here{handshake_.local, handshake_.port};
  auto header = std::make_shared<std::string>(
      proxy_v2_header({client_, here, handshake_.sni, SSL_get_version(ssl_), SSL_get_cipher_name(ssl_)}));
  asio::async_write(backend_, asio::buffer(*header),
                    [self = shared_from_this(), header](const asio::error_code& e, std::size_t) {
                      if (self->closed_) return;
                      if (e) return self->close();
                      self->client_to_backend();
                      self->backend_to_client();
                    });
}

void Connection::client_to_backend() {
  if (closed_ || up_done_) return;
  const int n = SSL_read(ssl_, up_.data(), static_cast<int>(up_.size()));
  if (n > 0) {
    arm_timer(worker_.shared().timeouts.idle, Failure::IdleTimeout);
    asio::async_write(backend_, asio::buffer(up_.data(), static_cast<std::size_t>(n)),
                      [self = shared_from_this()](const asio::error_code& ec, std::size_t) {
                        if (self->closed_) return;
                        if (ec) return self->close();
                        self->client_to_backend();
                      });
    return;
  }
  switch (SSL_get_error(ssl_, n)) {
    case SSL_ERROR_WANT_READ: return wait(false, &Connection::client_to_backend);
    case SSL_ERROR_WANT_WRITE: return wait(true, &Connection::client_to_backend);
    default: {
      // The client is done sending: pass the half-close on and keep the answer coming.
      ERR_clear_error();
      up_done_ = true;
      asio::error_code ignored;
      backend_.shutdown(asio::socket_base::shutdown_send, ignored);
      if (down_done_) close();
    }
  }
}

void Connection::backend_to_client() {
  if (closed_) return;
  backend_.async_read_some(asio::buffer(down_), [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
    if (self->closed_) return;
    if (ec) {
      self->down_done_ = true;
      return self->close();  // the backend finished (or failed): everything it sent has been written
    }
    self->down_size_ = n;
    self->down_written_ = 0;
    self->arm_timer(self->worker_.shared().timeouts.idle, Failure::IdleTimeout);
    self->write_to_client();
  });
}

void Connection::write_to_client() {
  while (down_written_ < down_size_) {
    if (closed_) return;
    const int n = SSL_write(ssl_, down_.data() + down_written_, static_cast<int>(down_size_ - down_written_));
    if (n > 0) {
      down_written_ += static_cast<std::size_t>(n);
      continue;
    }
    switch (SSL_get_error(ssl_, n)) {
      case SSL_ERROR_WANT_WRITE: return wait(true, &Connection::write_to_client);
      case SSL_ERROR_WANT_READ: return wait(false, &Connection::write_to_client);
      default: ERR_clear_error(); return close();
    }
  }
  backend_to_client();
}

}  // namespace sslbind::serve
