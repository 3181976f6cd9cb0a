#include "serve/metrics.hpp"

#include <array>
#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "serve/http_parser.hpp"
#include "serve/socket_address.hpp"

namespace sslbind::serve {
namespace {

constexpr std::size_t kMaxConnections = 16;
constexpr std::chrono::seconds kReadDeadline{5};

using Json = nlohmann::json;

// A label value as the format escapes it: backslash, double quote and line feed.
std::string label_value(const std::string& value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// A field of the status document, or null where it has none (an older or partial document): never UB.
const Json& at(const Json& object, const char* key) {
  static const Json none;
  if (!object.is_object()) return none;
  const auto it = object.find(key);
  return it == object.end() ? none : *it;
}
const Json& at(const Json& array, int index) {
  static const Json none;
  return array.is_array() && static_cast<std::size_t>(index) < array.size() ? array[static_cast<std::size_t>(index)]
                                                                            : none;
}

std::string number(const Json& value) {
  if (value.is_boolean()) return value.get<bool>() ? "1" : "0";
  return value.is_number() ? value.dump() : "0";
}

// One metric family: its HELP and TYPE lines, then its samples.
class Writer {
 public:
  void family(const std::string& name, const char* type, const std::string& help) {
    out_ += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  }
  void sample(const std::string& name, const Json& value, const std::string& labels = "") {
    out_ += name + (labels.empty() ? "" : "{" + labels + "}") + " " + number(value) + "\n";
  }
  void single(const std::string& name, const char* type, const std::string& help, const Json& value) {
    family(name, type, help);
    sample(name, value);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string label(const std::string& name, const std::string& value) {
  return name + "=\"" + label_value(value) + "\"";
}
// A label from a field of the status document: a string as it is, anything else (a missing field) as JSON text.
std::string label(const std::string& name, const Json& value) {
  return label(name, value.is_string() ? value.get<std::string>() : value.dump());
}

// A bucket bound as Prometheus' own clients write it: "0.005", "2.5", "10".
std::string le_text(double le) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", le);
  return text;
}

void web_workers(Writer& w, const Json& workers) {
  struct Field {
    const char* key;
    const char* name;
    const char* type;
    const char* help;
  };
  for (const Field f :
       {Field{"up", "sslbind_web_worker_up", "gauge", "Whether the web worker takes requests (1) or is down (0)."},
        Field{"requests", "sslbind_web_worker_requests_total", "counter", "Requests sent to the web worker."},
        Field{"inFlight", "sslbind_web_worker_in_flight", "gauge", "Requests of the web worker not answered yet."},
        Field{"failures", "sslbind_web_worker_failures_total", "counter",
              "Failed requests: refused or timed-out connects, resets before an answer."}}) {
    w.family(f.name, f.type, f.help);
    for (const auto& [server, s] : workers.items()) w.sample(f.name, at(s, f.key), label("server", server));
  }
  w.family("sslbind_web_worker_responses_total", "counter", "Responses of the web worker by status class.");
  for (const auto& [server, s] : workers.items()) {
    for (const auto& [cls, n] : at(s, "responses").items()) {
      w.sample("sslbind_web_worker_responses_total", n, label("server", server) + "," + label("class", cls));
    }
  }
  w.family("sslbind_web_worker_response_seconds", "histogram",
           "Time from a request sent to the web worker to its response head.");
  for (const auto& [server, s] : workers.items()) {
    const Json& h = at(s, "responseSeconds");
    for (const Json& bucket : at(h, "buckets")) {
      w.sample("sslbind_web_worker_response_seconds_bucket", at(bucket, 1),
               label("server", server) + "," +
                   label("le", le_text(at(bucket, 0).is_number() ? at(bucket, 0).get<double>() : 0)));
    }
    w.sample("sslbind_web_worker_response_seconds_bucket", at(h, "count"), label("server", server) + ",le=\"+Inf\"");
    w.sample("sslbind_web_worker_response_seconds_sum", at(h, "sum"), label("server", server));
    w.sample("sslbind_web_worker_response_seconds_count", at(h, "count"), label("server", server));
  }
}

}  // namespace

std::string prometheus_text(const Json& status) {
  Writer w;
  w.single("sslbind_snapshot_generation", "gauge", "The generation of the registry snapshot in force.",
           at(status, "generation"));
  w.single("sslbind_snapshot_age_seconds", "gauge", "Seconds since the snapshot in force was built.",
           at(status, "snapshotAgeSeconds"));
  w.single("sslbind_reload_failures_total", "counter",
           "Registry reads refused (damaged, unreadable); the last good "
           "snapshot stays.",
           at(status, "reloadFailures"));
  w.single("sslbind_admin_connections_dropped_total", "counter",
           "Admin socket connections closed at the cap or for sending no request in time.", at(status, "adminDropped"));
  w.single("sslbind_bindings", "gauge", "Bindings in the snapshot in force.", at(status, "bindings"));
  w.single("sslbind_io_threads", "gauge", "I/O threads.", at(status, "threads"));
  const Json& c = at(status, "connections");
  w.single("sslbind_connections_accepted_total", "counter", "Connections accepted.", at(c, "accepted"));
  w.single("sslbind_connections_active", "gauge", "Connections open now.", at(c, "active"));
  w.single("sslbind_sessions_resumed_total", "counter", "TLS handshakes that resumed a session.", at(c, "resumed"));
  w.family("sslbind_handshakes_total", "counter", "Handshakes served, by the HTTP.SYS selection step that chose.");
  for (const auto& [step, n] : at(c, "handshakesByStep").items())
    w.sample("sslbind_handshakes_total", n, label("step", step));
  w.family("sslbind_connection_failures_total", "counter", "Connections and requests that failed, by reason.");
  for (const auto& [reason, n] : at(c, "failures").items()) {
    w.sample("sslbind_connection_failures_total", n, label("reason", reason));
  }
  w.single("sslbind_builtin_answers_total", "counter", "Requests answered by the built-in page.",
           at(c, "builtInAnswers"));
  w.single("sslbind_forwarded_connections_total", "counter", "Connections forwarded as TCP to backend=.",
           at(c, "forwarded"));
  w.single("sslbind_proxied_requests_total", "counter", "HTTP requests answered by a web worker.", at(c, "proxied"));
  const Json& h2 = at(c, "http2");
  w.single("sslbind_http2_connections_total", "counter", "Connections that spoke HTTP/2.", at(h2, "connections"));
  w.single("sslbind_http2_streams_total", "counter", "HTTP/2 request streams opened by clients.", at(h2, "streams"));
  w.family("sslbind_http2_resets_total", "counter", "HTTP/2 streams reset, by the side that reset them.");
  w.sample("sslbind_http2_resets_total", at(h2, "clientResets"), label("side", std::string("client")));
  w.sample("sslbind_http2_resets_total", at(h2, "serverResets"), label("side", std::string("server")));
  w.single("sslbind_http2_goaways_total", "counter", "HTTP/2 GOAWAY frames sent.", at(h2, "goaways"));
  w.single("sslbind_http2_flood_closes_total", "counter",
           "HTTP/2 connections ended by a flood defence or their protocol error budget.", at(h2, "floodCloses"));
  w.family("sslbind_backend_up", "gauge", "Whether a backend= server takes connections (1) or is skipped (0).");
  for (const Json& b : at(status, "backends"))
    w.sample("sslbind_backend_up", at(b, "up"), label("address", at(b, "address")));
  web_workers(w, at(status, "webWorkers"));
  w.family("sslbind_web_farm_requests_total", "counter", "Requests sent to the servers of the web farm.");
  for (const Json& f : at(status, "webFarms"))
    w.sample("sslbind_web_farm_requests_total", at(f, "requests"), label("farm", at(f, "name")));
  w.family("sslbind_web_farm_failures_total", "counter", "Failed requests of the servers of the web farm.");
  for (const Json& f : at(status, "webFarms"))
    w.sample("sslbind_web_farm_failures_total", at(f, "failures"), label("farm", at(f, "name")));
  const Json& ccs = at(status, "ccs");
  if (ccs.is_object() && ccs.contains("listed")) {
    w.single("sslbind_ccs_listed", "gauge", "Whether the first listing of the CCS folder has ended.",
             at(ccs, "listed"));
    w.single("sslbind_ccs_files", "gauge", "Certificate files in the CCS folder.", at(ccs, "files"));
    w.single("sslbind_ccs_listing_deadlines_total", "counter",
             "First listings of the CCS folder that passed ccslistingtimeout=.", at(ccs, "listingDeadlines"));
  }
  const Json& cache = at(status, "cache");
  w.single("sslbind_cache_entries", "gauge", "Certificates (and remembered failures) in the cache.",
           at(cache, "entries"));
  w.single("sslbind_cache_bytes", "gauge", "Bytes of the cached certificates.", at(cache, "bytes"));
  w.single("sslbind_cache_loading", "gauge", "Certificate loads under way.", at(cache, "loading"));
  w.single("sslbind_cache_hits_total", "counter", "Handshakes served from the cache.", at(cache, "hits"));
  w.single("sslbind_cache_misses_total", "counter", "Handshakes that needed a load.", at(cache, "misses"));
  w.single("sslbind_cache_loads_total", "counter", "Certificate loads made.", at(cache, "loads"));
  w.single("sslbind_cache_load_failures_total", "counter", "Certificate loads that failed.", at(cache, "loadFailures"));
  w.single("sslbind_cache_evictions_total", "counter", "Certificates evicted from the cache.", at(cache, "evictions"));
  w.single("sslbind_cache_refused_total", "counter", "Handshakes refused because too many waited for loads.",
           at(cache, "refused"));
  w.single("sslbind_cache_abandoned_loads_total", "counter",
           "Certificate loads abandoned past their deadline (a hung share or disk).", at(cache, "abandoned"));
  w.single("sslbind_cache_rescued_loads_total", "counter",
           "Certificate loads finished by the rescuer (niceness 10) after waiting a fifth of their deadline.",
           at(cache, "rescued"));
  w.single("sslbind_cache_max_entries", "gauge", "The cache's bound on entries.", at(cache, "maxEntries"));
  w.single("sslbind_cache_max_bytes", "gauge", "The cache's bound on bytes.", at(cache, "maxBytes"));
  // OCSP stapling, per certificate that names a responder (those without one have nothing to staple).
  const Json& ocsp = at(status, "ocsp");
  w.family("sslbind_ocsp_stapled", "gauge", "1 while a current, checked OCSP response is stapled for the certificate.");
  for (const Json& e : ocsp) {
    if (!at(e, "responder").is_null())
      w.sample("sslbind_ocsp_stapled", at(e, "stapled").get<bool>() ? 1 : 0,
               label("certhash", at(e, "certhash").get<std::string>()));
  }
  w.family("sslbind_ocsp_fetch_failures_total", "counter",
           "OCSP fetches that failed or were refused (unreachable, badly signed, revoked, stale, outliving).");
  for (const Json& e : ocsp) {
    if (!at(e, "responder").is_null()) {
      w.sample("sslbind_ocsp_fetch_failures_total", at(e, "failures"),
               label("certhash", at(e, "certhash").get<std::string>()));
    }
  }
  return w.take();
}

MetricsEndpoint::MetricsEndpoint(asio::io_context& io, IpPort address, std::function<std::string()> render)
    : io_(io), address_(std::move(address)), render_(std::move(render)), acceptor_(io) {}

Status MetricsEndpoint::open() {
  asio::error_code e;
  const auto endpoint = endpoint_of(address_);
  acceptor_.open(endpoint.protocol(), e);
  if (!e) acceptor_.set_option(asio::socket_base::reuse_address(true), e);
  if (!e) acceptor_.bind(endpoint, e);
  if (!e) acceptor_.listen(asio::socket_base::max_listen_connections, e);
  if (e) return Error(ErrorCode::SourceUnavailable, "metrics=" + address_.str() + " cannot listen: " + e.message());
  accept();
  return Ok{};
}

void MetricsEndpoint::close() {
  asio::error_code ignored;
  acceptor_.close(ignored);
}

void MetricsEndpoint::accept() {
  acceptor_.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec && open_ < kMaxConnections) serve(std::make_shared<asio::ip::tcp::socket>(std::move(socket)));
    accept();
  });
}

void MetricsEndpoint::serve(std::shared_ptr<asio::ip::tcp::socket> socket) {
  ++open_;
  struct State {
    HttpParser parser{HttpParser::Kind::Request};
    std::array<char, 4096> buffer{};
    std::string reply;
    bool done = false;
  };
  auto state = std::make_shared<State>();
  auto deadline = std::make_shared<asio::steady_timer>(io_, kReadDeadline);
  auto finish = [this, socket, deadline, state] {
    if (state->done) return;
    state->done = true;
    --open_;
    deadline->cancel();
    asio::error_code ignored;
    socket->close(ignored);
  };
  deadline->async_wait([finish](const asio::error_code& ec) {
    if (!ec) finish();
  });
  auto answer = [socket, state, finish](int status, const char* reason, const std::string& body, bool head_only) {
    std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
    head += status == 200 ? "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                          : "Content-Type: text/plain; charset=utf-8\r\n";
    if (status == 405) head += "Allow: GET, HEAD\r\n";
    head += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
    state->reply = head + (head_only ? "" : body);
    asio::async_write(*socket, asio::buffer(state->reply),
                      [finish, state](const asio::error_code&, std::size_t) { finish(); });
  };
  auto read = std::make_shared<std::function<void()>>();
  *read = [this, socket, state, finish, answer, read] {
    socket->async_read_some(asio::buffer(state->buffer),
                            [this, state, finish, answer, read](const asio::error_code& ec, std::size_t n) {
                              if (ec || state->done) {
                                *read = nullptr;  // breaks the cycle of the function holding itself
                                return finish();
                              }
                              const auto step = state->parser.feed(state->buffer.data(), n);
                              if (step.error_status != 0) {
                                *read = nullptr;
                                return answer(400, "Bad Request", "the request is not HTTP/1.1\n", false);
                              }
                              if (!step.head) return (*read)();
                              *read = nullptr;
                              const HttpHead& head = state->parser.head();
                              const std::string path = head.path.substr(0, head.path.find('?'));
                              if (path != "/metrics")
                                return answer(404, "Not Found", "the metrics are at /metrics\n", head.method == "HEAD");
                              if (head.method != "GET" && head.method != "HEAD")
                                return answer(405, "Method Not Allowed", "GET /metrics\n", false);
                              answer(200, "OK", render_(), head.method == "HEAD");
                            });
  };
  (*read)();
}

}  // namespace sslbind::serve
