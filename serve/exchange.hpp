#pragma once
// One request to the web farm, as ARR sends it, knowing nothing of the client's protocol: the route of its host, the
// server (balancer.hpp), the connection (this thread's pool or a new one), the head as rewritten for the web worker
// (http_forward.hpp), the retry rule, the response read and checked as it comes, the web worker's health and the
// access-log record. The client side (an HTTP/1.1 session now, an HTTP/2 stream later) gives it the request's head
// and body and takes the response through ExchangeSink. Bodies go both ways in HTTP/1.1's framing, the web workers'
// protocol: a client side that speaks another one frames and unframes them.
//
// Every callback of the upstream carries the attempt it belongs to: one that completes after a retry, a new request
// or cancel() is ignored. Each holds the client connection (`hold`), so that nothing it touches goes first.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/webfarm.hpp"
#include "serve/access_log.hpp"
#include "serve/client_certificate.hpp"
#include "serve/clock.hpp"
#include "serve/http_parser.hpp"
#include "serve/shared_state.hpp"
#include "serve/snapshot.hpp"
#include "serve/upstream.hpp"

namespace sslbind::serve {

class ExchangeSink {
 public:
  virtual ~ExchangeSink() = default;
  // A response head: an interim one (100, 103) or the final one. Its body comes with response_data.
  virtual void response_head(const HttpHead& head) = 0;
  virtual void response_data(std::string_view bytes) = 0;
  // What was given is all there is for now: write it, then call Exchange::read_on() (or complete() when `ended`).
  virtual void response_flush(bool ended) = 0;
  // Everything given with send() reached the web worker and the request has more: give more of its body.
  virtual void request_drained() = 0;
  // The exchange failed, and it is counted and logged: before the final response head, answer with `status` (404,
  // 502, 504); after it, cut the response, whose end the client must not believe.
  virtual void failed(int status) = 0;
  // A 101 answered a WebSocket handshake: bytes go both ways unparsed on `upstream` from here; `rest` came after
  // the 101's head and is the client's.
  virtual void switched(std::unique_ptr<UpstreamConnection> upstream, std::string_view rest) = 0;
};

// What the exchange knows of the client connection, for the web worker's head and the access log: made once per
// connection and shared by its exchanges (an HTTP/2 connection has one per stream), on the connection's thread.
class ClientFacts {
 public:
  // `make_arr_ssl`: X-ARR-SSL's value, made when a farm first sends it (null: none).
  // `certificate`: the client's, judged, where the connection negotiated one and the client sent one.
  ClientFacts(IpPort client, std::string server_name, std::string binding_name, std::string certhash,
              std::function<std::string()> make_arr_ssl,
              std::shared_ptr<const ClientCertificate> client_certificate = nullptr)
      : address(client),
        sni(std::move(server_name)),
        binding(std::move(binding_name)),
        thumbprint(std::move(certhash)),
        forwarded_for(client.address.str()),
        certificate(std::move(client_certificate)),
        make_arr_ssl_(std::move(make_arr_ssl)) {}

  const IpPort address;
  const std::string sni;
  const std::string binding;        // "hostnameport=www.contoso.com:443"
  const std::string thumbprint;     // of the certificate that served
  const std::string forwarded_for;  // the address alone, as X-Forwarded-For sends it
  const std::shared_ptr<const ClientCertificate> certificate;

  const std::string& arr_ssl() {
    if (!arr_ssl_made_ && make_arr_ssl_) arr_ssl_ = make_arr_ssl_();
    arr_ssl_made_ = true;
    return arr_ssl_;
  }

 private:
  std::function<std::string()> make_arr_ssl_;
  std::string arr_ssl_;
  bool arr_ssl_made_ = false;
};

class Exchange {
 public:
  Exchange(Upstream& upstream, SharedState& shared, ExchangeSink& sink, std::shared_ptr<ClientFacts> client,
           std::function<std::shared_ptr<void>()> hold);
  ~Exchange();
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  // A new request's first byte came: the record starts, the previous request's state goes.
  void begin(std::int64_t now_ms);
  AccessRecord& record() { return r_.record; }
  // Routes the request by its host with `snapshot` and sends it to a web worker. On a failure (no route: 404, no
  // server: 502) sink.failed() is called before this returns, and failed() is true.
  void start(HttpHead head, std::shared_ptr<const Snapshot> snapshot);
  // Request body bytes in HTTP/1.1's framing, queued for the web worker; `ended`: the request's last byte was given.
  void send(std::string_view bytes, bool ended);
  void read_on();  // the sink wrote what it was given: read more of the response
  // The response ended and was written: counted, logged, and the web worker's connection pooled when it may be.
  // `again`: the client side may start another request on this exchange (HTTP/1.1 keep-alive), so the request's
  // strings go now; an HTTP/2 stream's exchange ends with its stream and skips that.
  void complete(bool again = true);
  // The client side refuses the request (a broken body framing, say) before or instead of a response: counted and
  // logged with `status`; the web worker's connection is closed. No sink call.
  void abort(int status, Failure why);
  // The client connection closes: the web worker's connection too, and its request stops counting as in flight.
  void cancel();

  bool failed() const { return r_.failed; }
  bool response_started() const { return r_.final_head; }  // the final response head came
  // Whether the web worker's response lets the client connection carry another request (it has its own end).
  bool response_delimited() const { return r_.delimited; }
  const HttpHead& request() const { return r_.head; }

 private:
  // A callback of the current attempt: ignored once the attempt is over.
  template <class F>
  auto current(F f) {
    return [this, hold = hold_(), attempt = attempt_, f](auto&&... args) {
      if (attempt != attempt_) return;
      f(std::forward<decltype(args)>(args)...);
    };
  }
  void choose();
  void connected(std::unique_ptr<UpstreamConnection> connection, bool reused);
  void write();
  void read();
  void on_read(bool ok, std::size_t n);
  void on_response(std::size_t n);
  void upstream_failed();
  void fail(int status, Failure why);
  void end_in_flight(int status, std::int64_t head_ms = -1);
  void drop_connection();
  void log();

  Upstream& upstream_;
  SharedState& shared_;
  ExchangeSink& sink_;
  std::shared_ptr<ClientFacts> client_;
  std::function<std::shared_ptr<void>()> hold_;
  std::unique_ptr<UpstreamTimer> response_timer_;
  std::uint64_t attempt_ = 0;

  std::unique_ptr<UpstreamConnection> connection_;
  Upstream::Buffer buffer_;  // while a response is read

  // One request's state, reset whole by begin().
  struct Request {
    HttpHead head;
    std::shared_ptr<const Snapshot> snapshot;  // the routes and farms this request was routed with
    const WebFarm* farm = nullptr;
    std::vector<std::string> tried;  // servers tried for this request
    std::string server;              // the one it went to last
    HttpParser response{HttpParser::Kind::Response};
    std::string head_text;  // the head as sent, to send again when a retry is safe
    std::string to_backend;
    AccessRecord record;          // the figures; the names are filled in when it is logged
    bool answered_here = false;   // the front end answered (404, 400): the log names no web worker
    std::int64_t started_ms = 0;  // the request's first byte
    std::int64_t sent_ms = 0;     // the request went to the web worker
    bool head_in_queue = false;   // to_backend starts with head_text
    bool failed = false;
    bool in_flight = false;  // counted in BackendHealth until its response ends
    bool connected = false;
    bool reused = false;
    bool writing = false;
    bool reading = false;
    bool timed_out = false;
    bool request_ended = false;
    bool body_sent = false;
    bool interim = false;
    bool final_head = false;
    bool response_ended = false;
    bool response_bytes = false;
    bool keep_alive = false;  // the web worker's connection may carry another request
    bool delimited = true;
  };
  Request r_;
  bool clean_ = true;  // r_ is as new: begin() need not reset it again
};

}  // namespace sslbind::serve
