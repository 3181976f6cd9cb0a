#pragma once
// What the front end knows of each web worker, shared by every I/O thread: whether it is up (a server with enough
// failed requests within its farm's window is down for a while, or until its health check passes), how many
// requests it has in flight (for loadbalance=leastrequests) and its counters for the admin status. Keyed by
// "host:port". Thread-safe.
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

  void started(const std::string& server);               // a request went to it
  void finished(const std::string& server, int status);  // its response ended (status 0: it failed)

  // {"<server>": {"up", "requests", "inFlight", "failures", "responses": {"2xx": n, ...}}}
  nlohmann::json to_json(std::int64_t now_ms) const;

 private:
  struct State {
    std::int64_t down_until = 0;
    std::int64_t in_flight = 0;
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    std::uint64_t by_class[6] = {};                             // responses by status class: 0 failed, 1xx ... 5xx
    std::deque<std::pair<std::int64_t, std::uint32_t>> recent;  // failures within the window: time, weight
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::string, State> servers_;
};

}  // namespace sslbind::serve
