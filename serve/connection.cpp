#include "serve/connection.hpp"

#include <asio/post.hpp>
#include <ctime>

#include "serve/clock.hpp"
#include "serve/forward_session.hpp"
#include "serve/http2_session.hpp"
#include "serve/http_session.hpp"
#include "serve/page_session.hpp"
#include "serve/socket_address.hpp"
#include "serve/worker.hpp"

namespace sslbind::serve {

Connection::Connection(Worker& worker, asio::ip::tcp::socket socket)
    : worker_(worker), stream_(std::move(socket)), timer_(worker.io().get_executor()) {
  worker_.shared().stats.active.fetch_add(1, std::memory_order_relaxed);
}

Connection::~Connection() { worker_.shared().stats.active.fetch_sub(1, std::memory_order_relaxed); }

SharedState& Connection::shared() { return worker_.shared(); }

void Connection::close_if_idle() {
  if (!session_) return;
  if (session_->idle()) return close();
  session_->drain();
}

void Connection::start() {
  SharedState& shared = worker_.shared();
  asio::ip::tcp::socket& socket = stream_.socket();
  asio::error_code ec;
  const auto local = socket.local_endpoint(ec);
  const auto remote = ec ? asio::ip::tcp::endpoint() : socket.remote_endpoint(ec);
  if (ec || !worker_.snapshot() || worker_.snapshot()->tls() == nullptr) return close();
  socket.non_blocking(true, ec);
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  const IpPort here = ip_port_of(local);
  client_ = ip_port_of(remote);
  handshake_.in = std::make_unique<HandshakeInput>();
  HandshakeInput& in = *handshake_.in;
  in.local = here.address;
  in.port = here.port;
  in.snapshot = worker_.snapshot();
  in.cache = &shared.cache;
  in.stores = &shared.stores;
  in.ocsp = &shared.ocsp;
  in.trust = &shared.trust;
  in.forward_bytes = !shared.options.backends.empty();
  in.http2 = !in.forward_bytes && !in.snapshot->state().farms.farms().empty();
  // Called on a loader thread when a certificate this handshake waits for is loaded: continue on our own loop.
  in.resume = [weak = weak_from_this(), &io = worker_.io()] {
    asio::post(io, [weak] {
      if (auto self = weak.lock()) self->handshake_step();
    });
  };
  arm_timer(shared.timeouts.handshake, Failure::HandshakeTimeout);
  // The TLS object (and OpenSSL's read buffer) is made when the ClientHello's first bytes come: a connection that
  // sends nothing holds no more than this object and its socket.
  socket.async_wait(asio::socket_base::wait_read, [self = shared_from_this()](const asio::error_code& e) {
    if (self->closed_) return;
    if (e) return self->close();
    // The snapshot of the connection's start: its TLS policy is the one the handshake follows.
    if (!self->stream_.open(self->handshake_.in->snapshot->tls())) return self->close();
    attach(self->stream_.ssl(), &self->handshake_);
    self->handshake_step();
  });
}

void Connection::arm_timer(std::chrono::milliseconds after, Failure why) {
  deadline_ = coarse_now() + after;
  deadline_why_ = why;
  // The timer moves only when the deadline comes before its pending expiry. Most calls push the deadline on (each
  // request does): they cost a clock read, not a timer queue change and a timerfd update; an expiry that comes
  // before the deadline starts the timer again for what is left.
  if (timer_pending_ && timer_expiry_ <= deadline_) return;
  start_timer();
}

void Connection::start_timer() {
  timer_pending_ = true;
  timer_expiry_ = deadline_;
  timer_.expires_at(deadline_);
  // Until the handshake ends the timer's wait holds the connection: while a loader thread reads its certificate,
  // nothing else does. Afterwards the socket waits hold it, and the timer only watches.
  auto held = stream_.established() ? nullptr : shared_from_this();
  timer_.async_wait([weak = weak_from_this(), held](const asio::error_code& ec) {
    if (ec) return;  // cancelled, or started again for an earlier deadline
    auto self = weak.lock();
    if (!self || self->closed_) return;
    self->timer_pending_ = false;
    if (std::chrono::steady_clock::now() < self->deadline_) return self->start_timer();
    if (!self->lingering_) self->worker_.shared().stats.fail(self->deadline_why_);  // a lingering close is planned
    self->close();
  });
}

void Connection::linger_close() {
  if (closed_) return;
  // Closing with unread bytes in the socket would send a reset, which may destroy the answer just written before
  // the client reads it (a 502 to a client still sending a large body). Say goodbye, stop sending, and read
  // whatever still comes for a short while, as nginx's lingering close does.
  lingering_ = true;
  stream_.shutdown();
  asio::error_code ignored;
  stream_.socket().shutdown(asio::socket_base::shutdown_send, ignored);
  arm_timer(std::chrono::seconds(2), Failure::IdleTimeout);
  drain();
}

void Connection::drain() {
  auto scratch = std::make_shared<std::array<char, 4096>>();
  stream_.socket().async_read_some(asio::buffer(*scratch),
                                   [self = shared_from_this(), scratch](const asio::error_code& ec, std::size_t) {
                                     if (self->closed_) return;
                                     if (ec) return self->close();  // the client closed too
                                     self->drain();
                                   });
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  timer_.cancel();
  if (session_) session_->closing();
  if (!lingering_) stream_.shutdown();  // one try at close_notify; the socket is non-blocking and closes next
  stream_.close();
}

void Connection::handshake_step() {
  if (closed_) return;
  switch (stream_.handshake()) {
    case TlsStream::Status::Done: return established();
    case TlsStream::Status::Again: return wait([this] { handshake_step(); });
    case TlsStream::Status::Paused: return;  // a loader resumes it; the handshake timer holds it meanwhile
    case TlsStream::Status::Closed:
      worker_.shared().stats.fail(handshake_.failure.value_or(Failure::BadClientHello));
      return close();
  }
}

void Connection::established() {
  SharedState& shared = worker_.shared();
  if (handshake_.step) shared.stats.handshakes[static_cast<std::size_t>(*handshake_.step)].fetch_add(1);
  if (stream_.resumed()) shared.stats.resumed.fetch_add(1, std::memory_order_relaxed);
  if (handshake_.forget_session) stream_.forget_session();
  arm_timer(shared.timeouts.idle, Failure::IdleTimeout);
  open_session();
}

bool Connection::judge_client_certificate() {
  X509* leaf = stream_.peer_certificate();
  if (leaf == nullptr) return true;  // none sent: the requests go on without one, as with IIS's "accept"
  const ClientCertPolicy policy = client_cert_policy(handshake_.winner->settings);
  X509_STORE* trust = handshake_.trust.get();
  if (!chain_check_)
    chain_check_ = std::make_unique<ChainCheck>(check_chain(leaf, stream_.peer_chain(), trust, policy.check_usage));
  ClientCertificate& certificate = chain_check_->certificate;
  if (policy.check_revocation && certificate.verdict == ClientCertificate::Verdict::Trusted &&
      !chain_check_->crl_urls.empty()) {
    std::vector<CrlCache::Crl> held;
    bool waiting = false;
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    for (const std::string& url : chain_check_->crl_urls) {
      // Called on the delivery thread when the CRL is there (or is not to be had): continue on our own loop. It
      // holds the connection, which no socket wait holds meanwhile.
      auto resume = [self = shared_from_this(), &io = worker_.io()] {
        asio::post(io, [self] { self->open_session(); });
      };
      const CrlCache::Found found = worker_.shared().crls.get(url, policy.crl, std::move(resume), now);
      if (found.state == CrlCache::Found::State::Loading) waiting = true;
      if (found.crl) held.push_back(found.crl);
    }
    if (waiting) return false;
    std::vector<X509_CRL*> crls;
    for (const auto& crl : held) crls.push_back(crl.get());
    check_revocation(certificate, leaf, stream_.peer_chain(), trust, policy.check_usage, crls);
  }
  forget_openssl_errors();
  if (certificate.verdict != ClientCertificate::Verdict::Trusted) {
    worker_.shared().trust.refused(certificate.subject, handshake_.binding_name(), certificate.problem);
  }
  client_certificate_ = std::make_shared<const ClientCertificate>(std::move(certificate));
  chain_check_.reset();
  return true;
}

void Connection::open_session() {
  if (closed_ || session_) return;
  SharedState& shared = worker_.shared();
  if (handshake_.trust && !client_certificate_ && !judge_client_certificate()) return;
  handshake_.trust.reset();
  const auto kind = choose_session(stream_.alpn(), !shared.options.backends.empty(),
                                   !worker_.snapshot()->state().farms.farms().empty());
  if (!kind) {
    shared.stats.fail(Failure::BadRequest);
    return close();
  }
  if (*kind == SessionKind::Forward && client_certificate_refused()) {
    // Forwarded bytes have no request to answer 403: the connection ends, as a TCP service behind a Windows front
    // end would end it.
    shared.stats.fail(refusal_of(*client_certificate_));
    return close();
  }
  switch (*kind) {
    case SessionKind::Forward: session_ = std::make_unique<ForwardSession>(*this); break;
    case SessionKind::Http1: session_ = std::make_unique<HttpSession>(*this); break;
    case SessionKind::Http2:
      session_ = std::make_unique<Http2Session>(*this, http2_limits(handshake_.winner->extended));
      break;
    case SessionKind::Page: session_ = std::make_unique<PageSession>(*this); break;
  }
  // The session has taken what it needs of the winning binding and of the handshake's input: an idle connection
  // keeps neither (a decoded binding is about 300 bytes).
  handshake_.winner.reset();
  handshake_.in.reset();
  session_->start();
}

}  // namespace sslbind::serve
