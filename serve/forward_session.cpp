#include "serve/forward_session.hpp"

#include "serve/clock.hpp"
#include "serve/connection.hpp"
#include "serve/proxy_protocol.hpp"
#include "serve/worker.hpp"

namespace sslbind::serve {

ForwardSession::ForwardSession(Connection& connection)
    : c_(connection), here_{connection.handshake().in->local, connection.handshake().in->port} {}

void ForwardSession::closing() {
  if (upstream_) upstream_->close();
}

void ForwardSession::start_pipe() {
  pipe_ = std::make_unique<Pipe>(c_, *upstream_);
  pipe_->start();
}

void ForwardSession::connect_backend(std::size_t attempt) {
  SharedState& shared = c_.shared();
  const auto& backends = shared.options.backends;
  if (attempt >= backends.size()) {
    shared.stats.fail(Failure::BackendUnavailable);
    return c_.close();
  }
  // Round robin from this thread's position; a backend marked down is passed over while another is up.
  const std::size_t first = attempt == 0 ? c_.worker().next_backend() : 0;
  std::size_t index = (first + attempt) % backends.size();
  const std::int64_t now = steady_ms();
  for (std::size_t i = 0; i < backends.size(); ++i) {
    const std::size_t candidate = (index + i) % backends.size();
    if (shared.health.up(backends[candidate].str(), now)) {
      index = candidate;
      break;
    }
  }
  // The upstream's connect has its own deadline (a connect that does not complete fails, and the next backend is
  // tried); the connection's deadline is the client's.
  c_.arm_timer(shared.timeouts.connect, Failure::BackendUnavailable);
  c_.worker().upstream().connect(backends[index],
                                 c_.guard([this, index, attempt](std::unique_ptr<UpstreamConnection> connection) {
                                   SharedState& s = c_.shared();
                                   if (!connection) {
                                     // One refused connect takes a backend= out for backend_down: the web farms'
                                     // mechanism, with a threshold of one.
                                     const std::int64_t down = s.timeouts.backend_down.count();
                                     s.health.failed(s.options.backends[index].str(), 1, steady_ms(), {1, down, down});
                                     return connect_backend(attempt + 1);
                                   }
                                   upstream_ = std::move(connection);
                                   s.stats.forwarded.fetch_add(1, std::memory_order_relaxed);
                                   c_.arm_timer(s.timeouts.idle, Failure::IdleTimeout);
                                   if (s.options.proxy_protocol) return send_proxy_header();
                                   start_pipe();
                                 }));
}

void ForwardSession::send_proxy_header() {
  const Handshake& h = c_.handshake();
  const TlsStream& stream = c_.stream();
  auto header = std::make_shared<const std::string>(
      proxy_v2_header({c_.client(), here_, h.sni, std::string(stream.version()), std::string(stream.cipher())}));
  upstream_->write(std::move(header), c_.guard([this](bool ok) {
    if (!ok) return c_.close();
    start_pipe();
  }));
}

}  // namespace sslbind::serve
