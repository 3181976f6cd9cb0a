#include "serve/exchange.hpp"

#include "serve/balancer.hpp"
#include "serve/http_forward.hpp"

namespace sslbind::serve {
namespace {

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

}  // namespace

Exchange::Exchange(Upstream& upstream, SharedState& shared, ExchangeSink& sink, ClientFacts client,
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
  head_ = {};
  snapshot_.reset();
  farm_ = nullptr;
  tried_.clear();
  server_.clear();
  response_ = HttpParser(HttpParser::Kind::Response);
  head_text_.clear();
  to_backend_.clear();
  record_ = {};
  sent_ms_ = 0;
  head_in_queue_ = failed_ = in_flight_ = connected_ = reused_ = writing_ = reading_ = timed_out_ = false;
  request_ended_ = body_sent_ = interim_ = final_head_ = response_ended_ = response_bytes_ = keep_alive_ = false;
  delimited_ = true;
  started_ms_ = now_ms;
}

void Exchange::start(const HttpHead& head, std::shared_ptr<const Snapshot> snapshot) {
  head_ = head;
  record_.host = host_of(head_);
  record_.method = head_.method;
  record_.target = head_.target;
  // Each request is routed with the routes in force when it came: a change applies to the next request.
  snapshot_ = std::move(snapshot);
  farm_ = snapshot_->state().farms.route(record_.host);
  if (farm_ == nullptr) return fail(404, Failure::NoRoute);
  if (head_.method == "HEAD") response_.expect_no_body();
  if (head_.upgrade) response_.expect_upgrade();
  if (farm_->arr_ssl && !arr_ssl_made_) {
    arr_ssl_ = client_.arr_ssl ? client_.arr_ssl() : std::string();
    arr_ssl_made_ = true;
  }
  head_text_ = backend_request_head(head_, {client_.address, farm_->arr_ssl ? arr_ssl_ : std::string()});
  to_backend_ = head_text_;
  head_in_queue_ = true;
  choose();
}

void Exchange::send(std::string_view bytes, bool ended) {
  to_backend_.append(bytes);
  request_ended_ = request_ended_ || ended;
  write();
}

void Exchange::choose() {
  const std::int64_t now = steady_ms();
  const FarmServer* chosen = choose_server(*farm_, tried_, upstream_.next_turn(), [&](const std::string& server) {
    return ServerState{shared_.health.up(server, now), snapshot_->server_address(server) != nullptr,
                       shared_.health.in_flight(server)};
  });
  if (chosen == nullptr) return fail(502, Failure::BackendUnavailable);
  server_ = chosen->str();
  tried_.push_back(server_);
  record_.server = server_;
  if (auto idle = upstream_.take_idle(server_)) return connected(std::move(idle), true);
  upstream_.connect(*snapshot_->server_address(server_),
                    current([this](std::unique_ptr<UpstreamConnection> connection) {
                      if (!connection) return upstream_failed();
                      connected(std::move(connection), false);
                    }));
}

void Exchange::connected(std::unique_ptr<UpstreamConnection> connection, bool reused) {
  connection_ = std::move(connection);
  connected_ = true;
  reused_ = reused;
  in_flight_ = true;
  sent_ms_ = steady_ms();
  shared_.health.started(server_);
  response_timer_->start(shared_.timeouts.response, current([this] {
                           if (final_head_) return;
                           timed_out_ = true;
                           if (connection_) connection_->close();  // the read fails, and answers 504
                         }));
  write();
  read();
}

void Exchange::write() {
  if (writing_ || !connection_ || failed_) return;
  if (to_backend_.empty()) {
    if (!request_ended_) sink_.request_drained();
    return;
  }
  writing_ = true;
  // Bytes past the head are body bytes: once one reaches the web worker, the request cannot be sent again.
  const bool carries_body = to_backend_.size() > (head_in_queue_ ? head_text_.size() : 0);
  head_in_queue_ = false;
  auto data = std::make_shared<const std::string>(std::move(to_backend_));
  to_backend_.clear();
  connection_->write(data, current([this, carries_body](bool ok) {
                       writing_ = false;
                       if (!ok) return upstream_failed();
                       body_sent_ = body_sent_ || carries_body;
                       write();
                     }));
}

void Exchange::read() {
  if (reading_ || response_ended_ || !connection_) return;
  reading_ = true;
  if (!buffer_) buffer_ = upstream_.take_buffer();
  connection_->read_some(buffer_.get(), Upstream::kBufferSize, current([this](bool ok, std::size_t n) {
                           reading_ = false;
                           if (ok) {
                             response_bytes_ = true;
                             return on_response(n);
                           }
                           if (timed_out_) return fail(504, Failure::BackendTimeout);
                           if (!response_bytes_) return upstream_failed();
                           if (final_head_ && response_.until_close()) {
                             // A response without a length ends when its web worker closes.
                             response_ended_ = true;
                             delimited_ = false;
                             return sink_.response_flush(true);
                           }
                           if (!final_head_) return fail(502, Failure::BackendProtocol);  // a head cut short
                           sink_.failed(502);  // a body cut short: the client must not take it for whole
                         }));
}

void Exchange::read_on() { read(); }

void Exchange::on_response(std::size_t n) {
  const char* bytes = buffer_.get();
  std::size_t at = 0;
  // Fed again after a head even with no byte left: a response without a body (101, 204, 304, 1xx, to HEAD) ends
  // right after its head.
  while (!response_ended_) {
    const auto step = response_.feed(bytes + at, n - at);
    if (step.error_status != 0) {
      if (!final_head_) return fail(502, Failure::BackendProtocol);
      shared_.stats.fail(Failure::BackendProtocol);
      return sink_.failed(502);  // the client has part of a response: cutting it is all that is left
    }
    if (step.head) {
      const HttpHead& h = response_.head();
      interim_ = h.status < 200 && h.status != 101;
      if (!interim_) {
        final_head_ = true;
        response_timer_->cancel();
        record_.status = h.status;
        record_.backend_ms = steady_ms() - sent_ms_;
        delimited_ = !response_.until_close();
        keep_alive_ = h.keep_alive && delimited_;
      }
      sink_.response_head(h);  // 100 Continue and the like go on as they came
    } else if (final_head_ && step.consumed != 0) {
      sink_.response_data(std::string_view(bytes + at, step.consumed));
    }
    at += step.consumed;
    if (step.end && !interim_) {
      response_ended_ = true;
      if (response_.head().status == 101) {
        // The web worker switched protocols: what follows its head is the other protocol's, both ways.
        end_in_flight(101, record_.backend_ms);
        log();
        response_timer_->cancel();
        ++attempt_;  // nothing of this exchange's own runs any more
        return sink_.switched(std::move(connection_), std::string_view(bytes + at, n - at));
      }
      if (at < n) {
        // Bytes past the response's end: the web worker's framing is not to be trusted. They never reach a client,
        // and its connection is closed rather than pooled.
        keep_alive_ = false;
        shared_.stats.fail(Failure::BackendProtocol);
      }
    }
    if (at == n && !step.head && !step.end) break;
  }
  sink_.response_flush(response_ended_);
}

void Exchange::complete() {
  shared_.stats.proxied.fetch_add(1, std::memory_order_relaxed);
  end_in_flight(record_.status, record_.backend_ms);
  log();
  response_timer_->cancel();
  if (keep_alive_ && request_ended_ && !writing_ && connection_) {
    ++attempt_;  // the pooled connection's callbacks, if any came late, are no longer this exchange's
    upstream_.keep_idle(server_, std::move(connection_));
  } else {
    drop_connection();
  }
  upstream_.give_buffer(std::move(buffer_));
}

void Exchange::upstream_failed() {
  if (timed_out_) return fail(504, Failure::BackendTimeout);  // the timeout closed the connection
  ++attempt_;                                                 // the failed connection's other callbacks are stale
  drop_connection();
  end_in_flight(0);
  const FailureVerdict verdict =
      judge_failure({connected_, reused_, response_bytes_, body_sent_, idempotent(head_.method)});
  if (verdict.weight != 0) {
    const BackendHealth::FailureRule rule{farm_->failures, std::int64_t{farm_->failure_window} * 1000,
                                          shared_.timeouts.backend_down.count()};
    shared_.health.failed(server_, verdict.weight, steady_ms(), rule);
  }
  if (!verdict.retry) return fail(502, Failure::BackendUnavailable);
  if (verdict.same_server) tried_.pop_back();
  connected_ = reused_ = writing_ = reading_ = false;
  if (!head_in_queue_) {
    to_backend_.insert(0, head_text_);  // body bytes queued meanwhile follow the head again
    head_in_queue_ = true;
  }
  choose();
}

void Exchange::fail(int status, Failure why) {
  shared_.stats.fail(why);
  failed_ = true;
  end_in_flight(0);
  if (!final_head_) {
    record_.status = status;
    if (status != 502 && status != 504) record_.server.clear();
    log();
  }
  ++attempt_;
  drop_connection();
  sink_.failed(status);
}

void Exchange::abort(int status, Failure why) {
  shared_.stats.fail(why);
  failed_ = true;
  end_in_flight(0);
  ++attempt_;
  drop_connection();
  if (final_head_) return;  // the client has part of a response; nothing is logged for a cut
  record_.status = status;
  if (status != 502 && status != 504) record_.server.clear();
  log();
}

void Exchange::cancel() {
  ++attempt_;
  end_in_flight(0);
  drop_connection();
}

void Exchange::end_in_flight(int status, std::int64_t head_ms) {
  if (!in_flight_) return;
  in_flight_ = false;
  shared_.health.finished(server_, status, head_ms);
}

void Exchange::drop_connection() {
  response_timer_->cancel();
  if (connection_) connection_->close();
  connection_.reset();
}

void Exchange::log() {
  AccessLog* log = shared_.access_log.get();
  if (log == nullptr) return;
  AccessRecord r = record_;
  r.client = client_.address.str();
  r.sni = client_.sni;
  r.binding = client_.binding;
  r.thumbprint = client_.thumbprint;
  if (r.server.empty()) r.server = "-";
  r.total_ms = started_ms_ == 0 ? 0 : steady_ms() - started_ms_;
  log->record(r);
}

}  // namespace sslbind::serve
