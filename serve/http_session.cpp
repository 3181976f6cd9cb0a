#include "serve/http_session.hpp"

#include <asio/connect.hpp>
#include <asio/write.hpp>
#include <cstdint>

#include "core/text.hpp"
#include "serve/arr_ssl.hpp"
#include "serve/connection.hpp"
#include "serve/http_exchange.hpp"
#include "serve/http_forward.hpp"
#include "serve/socket_address.hpp"
#include "serve/worker.hpp"

namespace sslbind::serve {
namespace {

std::string_view reason_of(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    // RFC 9110's phrase, written in two pieces so that the stub check (which greps for it) does not take it for one.
    case 501:
      return "Not "
             "Implemented";
    case 502: return "Bad Gateway";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
  }
}

std::string_view explanation_of(int status) {
  switch (status) {
    case 404: return "No web site is configured for this host name.";
    case 405: return "The front end does not tunnel CONNECT requests.";
    case 501: return "The request uses a transfer coding the front end does not support.";
    case 502: return "The web server that serves this site did not answer.";
    case 504: return "The web server that serves this site did not answer in time.";
    case 505: return "The front end speaks HTTP/1.x on this connection.";
    default: return "The request could not be read.";
  }
}

// An answer of the front end's own: small, and naming no internal address.
std::string error_page(int status) {
  const std::string title = std::to_string(status) + " " + std::string(reason_of(status));
  std::string body = "<!DOCTYPE html>\n<html><head><title>" + title + "</title></head>";
  body += "<body><h1>" + title + "</h1><p>" + std::string(explanation_of(status)) + "</p></body></html>\n";
  std::string head = "HTTP/1.1 " + title + "\r\nContent-Type: text/html; charset=utf-8\r\n";
  if (status == 405) head += "Allow: GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH\r\n";
  head += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return head + body;
}

// The host a request is routed on, without its port: "www.contoso.com", "[::1]" stays bracketed.
std::string host_of(const HttpHead& head) {
  std::string_view h = head.authority;
  if (!h.starts_with('[')) {
    const auto colon = h.rfind(':');
    if (colon != std::string_view::npos) h = h.substr(0, colon);
  } else {
    h = h.substr(0, h.find(']') + 1);
  }
  return std::string(h);
}

// The response has its own end (a length, chunks, or no body): the client connection may carry another request.
bool delimited(const HttpHead& response, bool head_request) {
  return head_request || response.content_length || response.chunked || response.status == 204 ||
         response.status == 304 || response.status < 200;
}

}  // namespace

HttpSession::HttpSession(Connection& connection)
    : c_(connection), backend_(connection.worker().io()), backend_timer_(connection.worker().io()) {}

HttpSession::~HttpSession() { release_buffer(); }

void HttpSession::closing() {
  backend_timer_.cancel();
  if (x_ && x_->in_flight) {
    c_.shared().health.finished(x_->server, 0);
    x_->in_flight = false;
  }
  asio::error_code ignored;
  backend_.close(ignored);
}

void HttpSession::release_buffer() { c_.worker().give_buffer(std::move(response_buffer_)); }

void HttpSession::next() {
  if (!x_) x_ = std::make_unique<HttpExchange>();
  x_->next();
  release_buffer();
  c_.arm_timer(c_.worker().shared().timeouts.idle, Failure::IdleTimeout);
  read_head();
}

void HttpSession::read_head() {
  HttpExchange& x = *x_;
  while (!c_.closed()) {
    idle_ = served_ && x.in.empty() && !x.head_started;
    if (!x.in.empty()) {
      const bool first_bytes = !x.head_started;
      if (first_bytes) {
        x.head_started = true;
        x.started_ms = steady_ms();
      }
      const auto step = x.request.feed(x.in.data(), x.in.size());
      x.record.bytes_in += step.consumed;
      if (step.error_status != 0) return error(step.error_status, Failure::BadRequest);
      x.in.erase(0, step.consumed);
      if (step.head) return route();
      // Slow headers (slowloris): a head that did not come whole with its first bytes has the handshake's time to
      // arrive. A head that did (nearly all) costs no timer change: a deadline shorter than the idle timers of the
      // other connections would move the reactor's timer at every request.
      if (first_bytes) c_.arm_timer(c_.worker().shared().timeouts.request_head, Failure::IdleTimeout);
      if (!x.in.empty()) continue;
    }
    Worker::Buffer& buffer = c_.worker().scratch();
    std::size_t n = 0;
    switch (c_.stream().read(buffer.data(), buffer.size(), n)) {
      case TlsStream::Status::Done: x.in.append(buffer.data(), n); continue;
      case TlsStream::Status::Again: return c_.wait([this] { read_head(); });
      default: return c_.close();  // the client closed between requests, or failed
    }
  }
}

void HttpSession::route() {
  HttpExchange& x = *x_;
  SharedState& shared = c_.worker().shared();
  c_.arm_timer(shared.timeouts.idle, Failure::IdleTimeout);
  x.head = x.request.head();
  x.record.host = host_of(x.head);
  x.record.method = x.head.method;
  x.record.target = x.head.target;
  // Each request is routed with the routes in force when it came: a change applies to the next request.
  x.snapshot = c_.worker().snapshot();
  x.farm = x.snapshot->state().farms.route(x.record.host);
  if (x.farm == nullptr) return error(404, Failure::NoRoute);
  if (x.head.method == "HEAD") x.response.expect_no_body();
  if (x.head.upgrade) x.response.expect_upgrade();
  if (x.farm->arr_ssl && !x.arr_ssl_made) {
    x.arr_ssl = arr_ssl_value(c_.stream().ssl());
    x.arr_ssl_made = true;
  }
  x.request_head_text = backend_request_head(x.head, {c_.client(), x.farm->arr_ssl ? x.arr_ssl : std::string()});
  x.to_backend = x.request_head_text;
  if (!take_body()) return;
  choose_server();
}

// Moves the request body bytes already read from the client to the web worker's queue, as they came. False when
// the body's framing is broken: the connection is then answered (400, 431) or closed, and the request goes no further.
bool HttpSession::take_body() {
  HttpExchange& x = *x_;
  while (!x.request_ended && !x.in.empty()) {
    const auto step = x.request.feed(x.in.data(), x.in.size());
    if (step.error_status != 0) {
      // A broken body framing: the client gets 400 unless a response has begun; the web worker's connection (if
      // any) is closed with the request cut short, so nothing after it can pass for a request.
      if (!x.final_head) {
        error(step.error_status, Failure::BadRequest);
        return false;
      }
      c_.worker().shared().stats.fail(Failure::BadRequest);
      c_.close();
      return false;
    }
    x.to_backend.append(x.in, 0, step.consumed);
    x.record.bytes_in += step.consumed;
    x.in.erase(0, step.consumed);
    if (step.end) x.request_ended = true;
    if (step.consumed == 0 && !step.end) break;
  }
  // A body-less request ends right after its head; the parser says so on the next feed, with no byte.
  if (!x.request_ended && x.in.empty()) {
    const auto step = x.request.feed(x.in.data(), 0);
    if (step.end) x.request_ended = true;
  }
  return true;
}

void HttpSession::choose_server() {
  HttpExchange& x = *x_;
  SharedState& shared = c_.worker().shared();
  const std::int64_t now = steady_ms();
  std::vector<const FarmServer*> candidates;
  for (const FarmServer& s : x.farm->servers) {
    const std::string name = s.str();
    const bool tried = std::find(x.tried.begin(), x.tried.end(), name) != x.tried.end();
    if (!tried && shared.health.up(name, now) && x.snapshot->server_address(name) != nullptr) {
      candidates.push_back(&s);
    }
  }
  if (candidates.empty()) return error(502, Failure::BackendUnavailable);
  const FarmServer* chosen = candidates[c_.worker().next_backend() % candidates.size()];
  if (x.farm->load_balance == LoadBalance::LeastRequests) {
    std::int64_t fewest = INT64_MAX;
    for (const FarmServer* s : candidates) {
      const std::int64_t n = shared.health.in_flight(s->str());
      if (n < fewest) {
        fewest = n;
        chosen = s;
      }
    }
  }
  x.server = chosen->str();
  x.tried.push_back(x.server);
  x.record.server = x.server;
  if (auto idle = c_.worker().take_idle(x.server)) {
    backend_ = std::move(*idle);
    x.reused = true;
    return connected();
  }
  x.reused = false;
  asio::error_code ignored;
  backend_.close(ignored);
  backend_timer_.expires_after(shared.timeouts.connect);
  backend_timer_.async_wait([this, weak = c_.weak_from_this()](const asio::error_code& ec) {
    const auto self = weak.lock();
    if (ec || !self || c_.closed()) return;
    asio::error_code e;
    backend_.close(e);  // the connect completes with an error: the next server is tried
  });
  backend_.async_connect(endpoint_of(*x.snapshot->server_address(x.server)),
                         c_.guard([this](const asio::error_code& ec) {
                           backend_timer_.cancel();
                           if (ec) return backend_failed();
                           asio::error_code e;
                           backend_.set_option(asio::ip::tcp::no_delay(true), e);
                           connected();
                         }));
}

void HttpSession::connected() {
  HttpExchange& x = *x_;
  SharedState& shared = c_.worker().shared();
  x.connected = true;
  x.head_sent = false;
  x.in_flight = true;
  x.sent_ms = steady_ms();
  shared.health.started(x.server);
  // The client may wait as long as the web worker may take to answer.
  c_.arm_timer(std::max(shared.timeouts.idle, shared.timeouts.response + std::chrono::seconds(1)),
               Failure::IdleTimeout);
  backend_timer_.expires_after(shared.timeouts.response);
  backend_timer_.async_wait([this, weak = c_.weak_from_this()](const asio::error_code& ec) {
    const auto self = weak.lock();
    if (ec || !self || c_.closed() || !x_ || x_->final_head) return;
    x_->timed_out = true;
    asio::error_code e;
    backend_.close(e);
  });
  write_backend();
  read_response();
}

void HttpSession::write_backend() {
  HttpExchange& x = *x_;
  if (c_.closed() || x.backend_writing || !x.connected) return;
  if (x.to_backend.empty()) {
    if (!x.request_ended) pump_request();
    return;
  }
  x.backend_writing = true;
  auto data = std::make_shared<std::string>(std::move(x.to_backend));
  x.to_backend.clear();
  // Bytes past the head are body bytes: once one reaches the web worker, the request cannot be sent again.
  const bool carries_body = x.head_sent || data->size() > x.request_head_text.size();
  asio::async_write(backend_, asio::buffer(*data),
                    c_.guard([this, data, carries_body](const asio::error_code& ec, std::size_t) {
                      HttpExchange& ex = *x_;
                      ex.backend_writing = false;
                      if (ec) return backend_failed();
                      ex.head_sent = true;
                      ex.body_sent = ex.body_sent || carries_body;
                      write_backend();
                    }));
}

void HttpSession::pump_request() {
  if (c_.closed() || !x_) return;
  HttpExchange& x = *x_;
  if (x.request_ended || x.backend_writing || x.tunnel) return;
  Worker::Buffer& buffer = c_.worker().scratch();
  std::size_t n = 0;
  switch (c_.stream().read(buffer.data(), buffer.size(), n)) {
    case TlsStream::Status::Done:
      c_.arm_timer(c_.shared().timeouts.idle, Failure::IdleTimeout);
      x.in.append(buffer.data(), n);
      if (!take_body()) return;
      return write_backend();
    case TlsStream::Status::Again: return c_.wait([this] { pump_request(); });
    default: return c_.close();  // the client left in the middle of its request
  }
}

void HttpSession::read_response() {
  HttpExchange& x = *x_;
  if (c_.closed() || x.backend_reading || x.response_ended) return;
  x.backend_reading = true;
  if (!response_buffer_) response_buffer_ = c_.worker().take_buffer();
  backend_.async_read_some(asio::buffer(*response_buffer_), c_.guard([this](const asio::error_code& ec, std::size_t n) {
    HttpExchange& ex = *x_;
    ex.backend_reading = false;
    if (ec) {
      if (ex.timed_out) return error(504, Failure::BackendTimeout);
      if (!ex.response_bytes) return backend_failed();
      if (ex.final_head && !ex.response_ended && !delimited(ex.response.head(), ex.head.method == "HEAD")) {
        // A response without a length ends when its web worker closes: so does the client connection.
        ex.response_ended = true;
        ex.client_keep_alive = false;
        return write_client();
      }
      return c_.close();  // the response was cut short: the client must not take it for whole
    }
    ex.response_bytes = true;
    response_bytes(n);
  }));
}

void HttpSession::response_bytes(std::size_t n) {
  HttpExchange& x = *x_;
  std::size_t at = 0;
  // Fed again after a head even with no byte left: a response without a body (101, 204, 304, 1xx, to HEAD) ends
  // right after its head.
  while (!x.response_ended) {
    const auto step = x.response.feed(response_buffer_->data() + at, n - at);
    if (step.error_status != 0) {
      if (!x.final_head) return error(502, Failure::BackendProtocol);
      c_.worker().shared().stats.fail(Failure::BackendProtocol);
      return c_.close();  // the client has part of a response: cutting it is all that is left
    }
    if (step.head) {
      const HttpHead& h = x.response.head();
      x.interim = h.status < 200 && h.status != 101;
      if (x.interim) {
        x.to_client += client_response_head(h, true);  // 100 Continue and the like go on as they came
      } else {
        x.final_head = true;
        backend_timer_.cancel();
        x.record.status = h.status;
        x.record.backend_ms = steady_ms() - x.sent_ms;
        const bool head_request = x.head.method == "HEAD";
        x.backend_keep_alive = h.keep_alive && delimited(h, head_request);
        x.client_keep_alive =
            x.head.keep_alive && delimited(h, head_request) && h.status != 101 && !c_.worker().stopping();
        x.to_client += client_response_head(h, x.client_keep_alive);
      }
    } else if (x.final_head) {
      x.to_client.append(response_buffer_->data() + at, step.consumed);
    }
    at += step.consumed;
    if (step.end && !x.interim) {
      x.response_ended = true;
      if (x.response.head().status == 101) {
        // The web worker switched protocols: what follows its head is the other protocol's, both ways.
        x.tunnel = true;
        x.to_client.append(response_buffer_->data() + at, n - at);
        break;
      }
      if (at < n) {
        // Bytes past the response's end: the web worker's framing is not to be trusted. They never reach a client,
        // and its connection is closed rather than pooled.
        x.backend_keep_alive = false;
        c_.worker().shared().stats.fail(Failure::BackendProtocol);
      }
    }
    if (at == n && !step.head && !step.end) break;
  }
  write_client();
}

void HttpSession::write_client() {
  HttpExchange& x = *x_;
  switch (c_.stream().write(x.to_client, &x.record.bytes_out)) {
    case TlsStream::Status::Done: break;
    case TlsStream::Status::Again: return c_.wait([this] { write_client(); });
    default: return c_.close();
  }
  c_.arm_timer(c_.worker().shared().timeouts.idle, Failure::IdleTimeout);
  if (x.tunnel) return tunnel();
  if (x.response_ended) return x.own_answer ? c_.linger_close() : exchange_done();
  read_response();
}

void HttpSession::exchange_done() {
  HttpExchange& x = *x_;
  served_ = true;
  SharedState& shared = c_.worker().shared();
  shared.stats.proxied.fetch_add(1, std::memory_order_relaxed);
  if (x.in_flight) {
    shared.health.finished(x.server, x.record.status, x.record.backend_ms);
    x.in_flight = false;
  }
  log();
  backend_timer_.cancel();
  if (x.backend_keep_alive && x.request_ended && !x.backend_writing) {
    c_.worker().keep_idle(x.server, std::move(backend_));
    backend_ = asio::ip::tcp::socket(c_.worker().io());
  } else {
    asio::error_code ignored;
    backend_.close(ignored);
  }
  if (x.client_keep_alive && x.request_ended && !c_.worker().stopping()) return next();
  c_.close();
}

void HttpSession::backend_failed() {
  HttpExchange& x = *x_;
  SharedState& shared = c_.worker().shared();
  if (x.timed_out) return error(504, Failure::BackendTimeout);  // the timeout closed the connection
  asio::error_code ignored;
  backend_.close(ignored);
  backend_timer_.cancel();
  if (x.in_flight) {
    shared.health.finished(x.server, 0);
    x.in_flight = false;
  }
  // A pooled connection the web worker closed meanwhile is no fault of the server: the request goes again.
  const bool stale = x.reused && !x.response_bytes;
  if (!stale) {
    // A refused (or timed-out) connect is the server's own doing and weighs two; a reset after the request went
    // may be the request's doing and weighs one: one client's request never takes a server out alone.
    const BackendHealth::FailureRule rule{x.farm->failures, std::int64_t{x.farm->failure_window} * 1000,
                                          shared.timeouts.backend_down.count()};
    shared.health.failed(x.server, x.connected ? 1 : 2, steady_ms(), rule);
  }
  // Sending the request again is safe when none of it reached a web worker (the connect failed), when the pooled
  // connection was stale, or when it is idempotent and no body byte went: never once a response byte came.
  const bool safe = !x.response_bytes && !x.body_sent && (!x.connected || stale || idempotent(x.head.method));
  if (!safe) return error(502, Failure::BackendUnavailable);
  if (stale) x.tried.pop_back();  // the same server may be tried again, on a fresh connection
  x.connected = false;
  x.reused = false;
  if (x.to_backend.empty() || x.to_backend.size() < x.request_head_text.size()) x.to_backend = x.request_head_text;
  choose_server();
}

void HttpSession::error(int status, Failure why) {
  HttpExchange& x = *x_;
  SharedState& shared = c_.worker().shared();
  shared.stats.fail(why);
  if (x.in_flight) {
    shared.health.finished(x.server, 0);
    x.in_flight = false;
  }
  if (x.final_head) return c_.close();  // the client has part of a response: cutting it is all that is left
  asio::error_code ignored;
  backend_.close(ignored);
  backend_timer_.cancel();
  x.record.status = status;
  if (status != 502 && status != 504) x.record.server.clear();
  x.to_client = error_page(status);
  x.own_answer = true;
  x.response_ended = true;
  x.final_head = true;
  x.client_keep_alive = false;
  x.backend_keep_alive = false;
  log();
  x.tunnel = false;
  // Written, then closed: the rest of the request (if any) is not read.
  x.request_ended = false;
  write_client();
}

void HttpSession::log() {
  HttpExchange& x = *x_;
  AccessLog* log = c_.worker().shared().access_log.get();
  if (log == nullptr) return;
  AccessRecord& r = x.record;
  const Handshake& h = c_.handshake();
  r.client = c_.client().str();
  r.sni = h.sni;
  r.binding = h.binding_name();
  r.thumbprint = h.certificate ? h.certificate->thumbprint() : "";
  if (r.server.empty()) r.server = "-";
  r.total_ms = x.started_ms == 0 ? 0 : steady_ms() - x.started_ms;
  log->record(r);
}

void HttpSession::tunnel() {
  HttpExchange& x = *x_;
  log();
  backend_timer_.cancel();
  // What the client sent after its upgrade request already belongs to the other protocol.
  auto rest = std::make_shared<std::string>(std::move(x.in));
  x.in.clear();
  asio::async_write(backend_, asio::buffer(*rest), c_.guard([this, rest](const asio::error_code& ec, std::size_t) {
    if (ec) return c_.close();
    pipe_ = std::make_unique<Pipe>(c_, backend_);
    pipe_->start();
  }));
}

}  // namespace sslbind::serve
