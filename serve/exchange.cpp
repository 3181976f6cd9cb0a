#include "serve/exchange.hpp"

#include "serve/balancer.hpp"
#include "serve/http_forward.hpp"

namespace sslbind::serve {
namespace {

// The host a request is routed on, without its port: "www.contoso.com", "[::1]" stays bracketed.
std::string_view host_of(const HttpHead& head) {
  std::string_view h = head.authority;
  if (!h.starts_with('[')) {
    const auto colon = h.rfind(':');
    if (colon != std::string_view::npos) h = h.substr(0, colon);
  } else {
    h = h.substr(0, h.find(']') + 1);
  }
  return h;
}

}  // namespace

Exchange::Exchange(Upstream& upstream, SharedState& shared, ExchangeSink& sink, std::shared_ptr<ClientFacts> client,
                   std::function<std::shared_ptr<void>()> hold)
    : upstream_(upstream),
      shared_(shared),
      sink_(sink),
      client_(std::move(client)),
      hold_(std::move(hold)),
      response_timer_(upstream.timer()) {}

Exchange::~Exchange() { upstream_.give_buffer(std::move(buffer_)); }

void Exchange::begin(std::int64_t now_ms) {
  ++attempt_;
  drop_connection();
  if (!clean_) r_ = Request{};
  clean_ = false;
  r_.started_ms = now_ms;
}

void Exchange::start(HttpHead head, std::shared_ptr<const Snapshot> snapshot) {
  r_.head = std::move(head);
  // Each request is routed with the routes in force when it came: a change applies to the next request.
  r_.snapshot = std::move(snapshot);
  // IIS answers a request on a connection whose client certificate failed 403.16 (403.13: revoked), before any
  // route: no web worker sees it.
  if (const auto& c = client_->certificate; c && c->verdict != ClientCertificate::Verdict::Trusted) {
    return fail(403, refusal_of(*c));
  }
  r_.farm = r_.snapshot->state().farms.route(host_of(r_.head));
  if (r_.farm == nullptr) return fail(404, Failure::NoRoute);
  if (r_.head.method == "HEAD") r_.response.expect_no_body();
  if (r_.head.upgrade) r_.response.expect_upgrade();
  r_.head_text = backend_request_head(
      r_.head, {client_->forwarded_for, r_.farm->arr_ssl ? std::string_view(client_->arr_ssl()) : std::string_view(),
                client_->certificate.get()});
  r_.to_backend = r_.head_text;
  r_.head_in_queue = true;
  choose();
}

void Exchange::send(std::string_view bytes, bool ended) {
  r_.to_backend.append(bytes);
  r_.request_ended = r_.request_ended || ended;
  write();
}

void Exchange::choose() {
  const std::int64_t now = coarse_steady_ms();
  const FarmServer* chosen = choose_server(*r_.farm, r_.tried, upstream_.next_turn(), [&](const std::string& server) {
    const bool least = r_.farm->load_balance == LoadBalance::LeastRequests;
    return ServerState{shared_.health.up(server, now), r_.snapshot->server_address(server) != nullptr,
                       least ? shared_.health.in_flight(server) : 0};
  });
  if (chosen == nullptr) return fail(502, Failure::BackendUnavailable);
  r_.server = chosen->str();
  r_.tried.push_back(r_.server);
  if (auto idle = upstream_.take_idle(r_.server)) return connected(std::move(idle), true);
  upstream_.connect(*r_.snapshot->server_address(r_.server),
                    current([this](std::unique_ptr<UpstreamConnection> connection) {
                      if (!connection) return upstream_failed();
                      connected(std::move(connection), false);
                    }));
}

void Exchange::connected(std::unique_ptr<UpstreamConnection> connection, bool reused) {
  connection_ = std::move(connection);
  r_.connected = true;
  r_.reused = reused;
  r_.in_flight = true;
  r_.sent_ms = steady_ms();
  shared_.health.started(r_.server);
  response_timer_->start(shared_.timeouts.response, current([this] {
                           if (r_.final_head) return;
                           r_.timed_out = true;
                           if (connection_) connection_->close();  // the read fails, and answers 504
                         }));
  write();
  read();
}

void Exchange::write() {
  if (r_.writing || !connection_ || r_.failed) return;
  if (r_.to_backend.empty()) {
    if (!r_.request_ended) sink_.request_drained();
    return;
  }
  r_.writing = true;
  // Bytes past the head are body bytes: once one reaches the web worker, the request cannot be sent again.
  const bool carries_body = r_.to_backend.size() > (r_.head_in_queue ? r_.head_text.size() : 0);
  r_.head_in_queue = false;
  auto data = std::make_shared<const std::string>(std::move(r_.to_backend));
  r_.to_backend.clear();
  connection_->write(data, current([this, carries_body](bool ok) {
                       r_.writing = false;
                       if (!ok) return upstream_failed();
                       r_.body_sent = r_.body_sent || carries_body;
                       write();
                     }));
}

void Exchange::read() {
  if (r_.reading || r_.response_ended || !connection_) return;
  r_.reading = true;
  if (!buffer_) buffer_ = upstream_.take_buffer();
  connection_->read_some(buffer_.get(), Upstream::kBufferSize,
                         current([this](bool ok, std::size_t n) { on_read(ok, n); }));
}

void Exchange::on_read(bool ok, std::size_t n) {
  r_.reading = false;
  if (ok) {
    r_.response_bytes = true;
    return on_response(n);
  }
  if (r_.timed_out) return fail(504, Failure::BackendTimeout);
  if (!r_.response_bytes) return upstream_failed();
  if (r_.final_head && r_.response.until_close()) {
    // A response without a length ends when its web worker closes.
    r_.response_ended = true;
    r_.delimited = false;
    return sink_.response_flush(true);
  }
  if (!r_.final_head) return fail(502, Failure::BackendProtocol);  // a head cut short
  sink_.failed(502);  // a body cut short: the client must not take it for whole
}

void Exchange::read_on() { read(); }

void Exchange::on_response(std::size_t n) {
  const char* bytes = buffer_.get();
  std::size_t at = 0;
  // Fed again after a head even with no byte left: a response without a body (101, 204, 304, 1xx, to HEAD) ends
  // right after its head.
  while (!r_.response_ended) {
    const auto step = r_.response.feed(bytes + at, n - at);
    if (step.error_status != 0) {
      if (!r_.final_head) return fail(502, Failure::BackendProtocol);
      shared_.stats.fail(Failure::BackendProtocol);
      return sink_.failed(502);  // the client has part of a response: cutting it is all that is left
    }
    if (step.head) {
      const HttpHead& h = r_.response.head();
      r_.interim = h.status < 200 && h.status != 101;
      if (!r_.interim) {
        r_.final_head = true;
        response_timer_->cancel();
        r_.record.status = h.status;
        r_.record.backend_ms = steady_ms() - r_.sent_ms;
        r_.delimited = !r_.response.until_close();
        r_.keep_alive = h.keep_alive && r_.delimited;
      }
      sink_.response_head(h);  // 100 Continue and the like go on as they came
    } else if (r_.final_head && step.consumed != 0) {
      sink_.response_data(std::string_view(bytes + at, step.consumed));
    }
    at += step.consumed;
    if (step.end && !r_.interim) {
      r_.response_ended = true;
      if (r_.response.head().status == 101) {
        // The web worker switched protocols: what follows its head is the other protocol's, both ways.
        end_in_flight(101, r_.record.backend_ms);
        log();
        response_timer_->cancel();
        ++attempt_;  // nothing of this exchange's own runs any more
        return sink_.switched(std::move(connection_), std::string_view(bytes + at, n - at));
      }
      if (at < n) {
        // Bytes past the response's end: the web worker's framing is not to be trusted. They never reach a client,
        // and its connection is closed rather than pooled.
        r_.keep_alive = false;
        shared_.stats.fail(Failure::BackendProtocol);
      }
    }
    if (at == n && !step.head && !step.end) break;
  }
  sink_.response_flush(r_.response_ended);
}

void Exchange::complete(bool again) {
  shared_.stats.proxied.fetch_add(1, std::memory_order_relaxed);
  end_in_flight(r_.record.status, r_.record.backend_ms);
  log();
  response_timer_->cancel();
  if (r_.keep_alive && r_.request_ended && !r_.writing && connection_) {
    ++attempt_;  // the pooled connection's callbacks, if any came late, are no longer this exchange's
    upstream_.keep_idle(r_.server, std::move(connection_));
  } else {
    drop_connection();
  }
  upstream_.give_buffer(std::move(buffer_));
  if (!again) return;
  r_ = Request{};  // the request's heads and strings go while the client connection waits for its next one
  clean_ = true;
}

void Exchange::upstream_failed() {
  if (r_.timed_out) return fail(504, Failure::BackendTimeout);  // the timeout closed the connection
  ++attempt_;                                                   // the failed connection's other callbacks are stale
  drop_connection();
  end_in_flight(0);
  const FailureVerdict verdict =
      judge_failure({r_.connected, r_.reused, r_.response_bytes, r_.body_sent, idempotent(r_.head.method)});
  if (verdict.weight != 0) {
    const BackendHealth::FailureRule rule{r_.farm->failures, std::int64_t{r_.farm->failure_window} * 1000,
                                          shared_.timeouts.backend_down.count()};
    shared_.health.failed(r_.server, verdict.weight, coarse_steady_ms(), rule);
  }
  if (!verdict.retry) return fail(502, Failure::BackendUnavailable);
  if (verdict.same_server) r_.tried.pop_back();
  r_.connected = r_.reused = r_.writing = r_.reading = false;
  if (!r_.head_in_queue) {
    r_.to_backend.insert(0, r_.head_text);  // body bytes queued meanwhile follow the head again
    r_.head_in_queue = true;
  }
  choose();
}

void Exchange::fail(int status, Failure why) {
  abort(status, why);
  sink_.failed(status);
}

void Exchange::abort(int status, Failure why) {
  shared_.stats.fail(why);
  r_.failed = true;
  end_in_flight(0);
  ++attempt_;
  drop_connection();
  if (r_.final_head) return;  // the client has part of a response; nothing is logged for a cut
  r_.record.status = status;
  r_.answered_here = status != 502 && status != 504;  // no web worker had a part in it
  log();
}

void Exchange::cancel() {
  ++attempt_;
  end_in_flight(0);
  drop_connection();
}

void Exchange::end_in_flight(int status, std::int64_t head_ms) {
  if (!r_.in_flight) return;
  r_.in_flight = false;
  shared_.health.finished(r_.server, status, head_ms);
}

void Exchange::drop_connection() {
  response_timer_->cancel();
  if (connection_) connection_->close();
  connection_.reset();
}

void Exchange::log() {
  AccessLog* log = shared_.access_log.get();
  if (log == nullptr) return;
  AccessRecord r = r_.record;
  r.host = host_of(r_.head);
  r.method = r_.head.method;
  r.target = r_.head.target;
  r.server = r_.answered_here ? std::string() : r_.server;
  r.client = client_->address.str();
  r.sni = client_->sni;
  r.binding = client_->binding;
  r.thumbprint = client_->thumbprint;
  if (r.server.empty()) r.server = "-";
  r.total_ms = r_.started_ms == 0 ? 0 : steady_ms() - r_.started_ms;
  log->record(r);
}

}  // namespace sslbind::serve
