#pragma once
// The metrics an operator scrapes: `serve metrics=[IP:]PORT` answers GET /metrics in Prometheus' text exposition
// format (0.0.4), written from the very status document `show frontend --json` prints, so the two never differ.
// Names follow Prometheus' conventions (sslbind_ prefix, _total for counters, base units: seconds, bytes);
// docs/metrics.md lists them. HAProxy's built-in exporter is the model.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/endpoint.hpp"
#include "core/result.hpp"

namespace sslbind::serve {

std::string prometheus_text(const nlohmann::json& status);

// A plain-HTTP listener on the control thread for GET /metrics (HEAD too): anything else gets 404 or 405, a request
// that breaks HTTP/1.1 400. Read with the proxy's strict reader; one request per connection, 5 s to send it, at most
// 16 connections at once.
class MetricsEndpoint {
 public:
  MetricsEndpoint(asio::io_context& io, IpPort address, std::function<std::string()> render);
  Status open();  // SourceUnavailable naming the address when it cannot listen
  void close();

 private:
  void accept();
  void serve(std::shared_ptr<asio::ip::tcp::socket> socket);

  asio::io_context& io_;
  IpPort address_;
  std::function<std::string()> render_;
  asio::ip::tcp::acceptor acceptor_;
  std::size_t open_ = 0;
};

}  // namespace sslbind::serve
