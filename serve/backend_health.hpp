#pragma once
// What the front end knows of each web worker, shared by every I/O thread: whether it is up (a server with enough
// failed requests within its farm's window is down for a while, or until its health check passes), how many
// requests it has in flight (for loadbalance=leastrequests) and its counters for the admin status. Keyed by
// "host:port". Thread-safe.
#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <unordered_map>

namespace sslbind::serve {

class BackendHealth {
 public:
  bool up(const std::string& server, std::int64_t now_ms) const;
  std::int64_t in_flight(const std::string& server) const;
  // When failed requests take a server out (ARR's live traffic test): `threshold` weighted failures within
  // `window_ms`, then down for `down_ms` unless a health check brings it back first.
  struct FailureRule {
    std::uint32_t threshold = 5;
    std::int64_t window_ms = 30'000;
    std::int64_t down_ms = 10'000;
  };
  // A failed request, of `weight` (a refused connection weighs more than a reset after the request went: a client
  // can provoke the second, never the first). True when it took the server down.
  bool failed(const std::string& server, std::uint32_t weight, std::int64_t now_ms, const FailureRule& rule);
  // A health check's verdict: up at once, or down until the next check says otherwise.
  void checked(const std::string& server, bool healthy, std::int64_t until_ms);

  void started(const std::string& server);  // a request went to it
  // Its response ended (status 0: it failed); `head_ms`: from the request sent to the response head, if it came.
  void finished(const std::string& server, int status, std::int64_t head_ms = -1);

  // The upper bounds of the response-time histogram, in seconds (Prometheus' default buckets).
  static constexpr std::array<double, 11> kLatencyBounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  // {"<server>": {"up", "requests", "inFlight", "failures", "responses": {"2xx": n, ...},
  //   "responseSeconds": {"buckets": [[le, cumulative count], ...], "sum", "count"}}}
  nlohmann::json to_json(std::int64_t now_ms) const;

 private:
  struct State {
    std::int64_t down_until = 0;
    std::int64_t in_flight = 0;
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    std::uint64_t by_class[6] = {};                                  // responses by status class: 0 failed, 1xx ... 5xx
    std::deque<std::pair<std::int64_t, std::uint32_t>> recent;       // failures within the window: time, weight
    std::array<std::uint64_t, kLatencyBounds.size() + 1> latency{};  // per bucket (not cumulative); last: +Inf
    double latency_sum = 0;                                          // seconds
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::string, State> servers_;
};

}  // namespace sslbind::serve
