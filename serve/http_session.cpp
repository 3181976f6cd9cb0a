#include "serve/http_session.hpp"

#include "serve/client_facts.hpp"
#include "serve/connection.hpp"
#include "serve/error_page.hpp"
#include "serve/http_forward.hpp"
#include "serve/socket_address.hpp"
#include "serve/worker.hpp"

namespace sslbind::serve {

HttpSession::HttpSession(Connection& connection)
    : c_(connection),
      exchange_(connection.worker().upstream(), connection.shared(), *this, client_facts(connection),
                [&connection] { return std::shared_ptr<void>(connection.shared_from_this()); }) {}

void HttpSession::closing() {
  exchange_.cancel();
  if (tunnel_upstream_) tunnel_upstream_->close();
}

void HttpSession::next() {
  // What the last request left behind goes, so that a keep-alive connection waiting for its next request holds no
  // buffer: the parser's head, the response bytes' capacity, the request bytes' unless some are pipelined.
  request_ = HttpParser(HttpParser::Kind::Request);
  std::string().swap(to_client_);
  if (in_.empty()) std::string().swap(in_);
  head_started_ = request_ended_ = waiting_for_body_ = response_ended_ = own_answer_ = switching_ = false;
  client_keep_alive_ = true;
  c_.arm_timer(c_.shared().timeouts.idle, Failure::IdleTimeout);
  if (served_ && in_.empty() && !c_.stream().has_buffered()) {
    // Between two requests, with nothing read of the next: wait for it.
    idle_ = true;
    c_.stream().expect_read();
    return c_.wait([this] { read_head(); });
  }
  read_head();
}

void HttpSession::read_head() {
  while (!c_.closed()) {
    idle_ = served_ && in_.empty() && !head_started_;
    if (!in_.empty()) {
      const bool first_bytes = !head_started_;
      if (first_bytes) {
        head_started_ = true;
        exchange_.begin(steady_ms());
      }
      const auto step = request_.feed(in_.data(), in_.size());
      exchange_.record().bytes_in += step.consumed;
      if (step.error_status != 0) return refuse(step.error_status, Failure::BadRequest);
      in_.erase(0, step.consumed);
      if (step.head) return route();
      // Slow headers (slowloris): a head that did not come whole with its first bytes has the handshake's time to
      // arrive. A head that did (nearly all) costs no timer change: a deadline shorter than the idle timers of the
      // other connections would move the reactor's timer at every request.
      if (first_bytes) c_.arm_timer(c_.shared().timeouts.request_head, Failure::IdleTimeout);
      if (!in_.empty()) continue;
    }
    Worker::Buffer& buffer = c_.worker().scratch();
    std::size_t n = 0;
    switch (c_.stream().read(buffer.data(), buffer.size(), n)) {
      case TlsStream::Status::Done: in_.append(buffer.data(), n); continue;
      case TlsStream::Status::Again: return c_.wait([this] { read_head(); });
      default: return c_.close();  // the client closed between requests, or failed
    }
  }
}

void HttpSession::route() {
  const SharedState& shared = c_.shared();
  // The client may wait as long as the web worker may take to answer.
  c_.arm_timer(std::max(shared.timeouts.idle, shared.timeouts.response + std::chrono::seconds(1)),
               Failure::IdleTimeout);
  // The body bytes that came with the head are checked first: a broken framing is refused before a web worker is
  // even chosen.
  std::string body;
  if (!collect_body(body)) return;
  exchange_.start(request_.take_head(), c_.worker().snapshot());
  if (exchange_.failed()) return;  // answered
  exchange_.send(body, request_ended_);
}

// Moves the request body bytes read so far to `body`, as they came. False when the body's framing is broken: the
// connection is then answered (400, 431) or closed, and the request goes no further.
bool HttpSession::collect_body(std::string& body) {
  while (!request_ended_ && !in_.empty()) {
    const auto step = request_.feed(in_.data(), in_.size());
    if (step.error_status != 0) {
      // A broken body framing: the client gets 400 unless a response has begun; the web worker's connection is
      // closed with the request cut short, so nothing after it can pass for a request.
      refuse(step.error_status, Failure::BadRequest);
      return false;
    }
    body.append(in_, 0, step.consumed);
    exchange_.record().bytes_in += step.consumed;
    in_.erase(0, step.consumed);
    if (step.end) request_ended_ = true;
    if (step.consumed == 0 && !step.end) break;
  }
  // A body-less request ends right after its head; the parser says so on the next feed, with no byte.
  if (!request_ended_ && in_.empty() && request_.feed(in_.data(), 0).end) request_ended_ = true;
  return true;
}

void HttpSession::request_drained() { pump_request(); }

void HttpSession::pump_request() {
  if (c_.closed() || request_ended_ || switching_ || own_answer_ || waiting_for_body_) return;
  Worker::Buffer& buffer = c_.worker().scratch();
  std::size_t n = 0;
  switch (c_.stream().read(buffer.data(), buffer.size(), n)) {
    case TlsStream::Status::Done:
      c_.arm_timer(c_.shared().timeouts.idle, Failure::IdleTimeout);
      in_.append(buffer.data(), n);
      if (std::string body; collect_body(body)) exchange_.send(body, request_ended_);  // it asks for more later
      return;
    case TlsStream::Status::Again:
      waiting_for_body_ = true;
      return c_.wait([this] {
        waiting_for_body_ = false;
        pump_request();
      });
    default: return c_.close();  // the client left in the middle of its request
  }
}

void HttpSession::response_head(const HttpHead& head) {
  if (head.status < 200 && head.status != 101) {
    to_client_ += client_response_head(head, true);  // 100 Continue and the like go on as they came
    return;
  }
  client_keep_alive_ =
      exchange_.request().keep_alive && exchange_.response_delimited() && head.status != 101 && !c_.worker().stopping();
  std::string text = client_response_head(head, client_keep_alive_);
  if (to_client_.empty()) {
    to_client_ = std::move(text);  // the usual case: the head's own allocation carries the response
  } else {
    to_client_ += text;
  }
}

void HttpSession::response_data(std::string_view bytes) { to_client_.append(bytes); }

void HttpSession::response_flush(bool ended) {
  response_ended_ = ended;
  write_client();
}

void HttpSession::write_client() {
  switch (c_.stream().write(to_client_, &exchange_.record().bytes_out)) {
    case TlsStream::Status::Done: break;
    case TlsStream::Status::Again: return c_.wait([this] { write_client(); });
    default: return c_.close();
  }
  c_.arm_timer(c_.shared().timeouts.idle, Failure::IdleTimeout);
  if (switching_) return tunnel();
  if (own_answer_) return c_.linger_close();
  if (response_ended_) return done();
  exchange_.read_on();
}

void HttpSession::done() {
  served_ = true;
  exchange_.complete();
  if (client_keep_alive_ && request_ended_ && !c_.worker().stopping()) return next();
  c_.close();
}

void HttpSession::failed(int status) {
  if (exchange_.response_started()) return c_.close();  // the client has part of a response: cut it
  answer(status);
}

void HttpSession::refuse(int status, Failure why) {
  exchange_.abort(status, why);
  if (exchange_.response_started()) return c_.close();
  answer(status);
}

void HttpSession::answer(int status) {
  to_client_ = error_response(status);
  own_answer_ = true;
  client_keep_alive_ = false;
  write_client();  // then closed: the rest of the request (if any) is not read
}

void HttpSession::switched(std::unique_ptr<UpstreamConnection> upstream, std::string_view rest) {
  tunnel_upstream_ = std::move(upstream);
  to_client_.append(rest);
  switching_ = true;
  write_client();
}

void HttpSession::tunnel() {
  // What the client sent after its upgrade request already belongs to the other protocol.
  auto rest = std::make_shared<const std::string>(std::move(in_));
  in_.clear();
  tunnel_upstream_->write(rest, c_.guard([this](bool ok) {
    if (!ok) return c_.close();
    pipe_ = std::make_unique<Pipe>(c_, *tunnel_upstream_);
    pipe_->start();
  }));
}

}  // namespace sslbind::serve
