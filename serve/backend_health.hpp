#pragma once
// What the front end knows of each web worker, shared by every I/O thread: whether it is up (a server that refused or
// reset is down for a while, or until its health check passes), how many requests it has in flight (for
// loadbalance=leastrequests) and its counters for the admin status. Keyed by "host:port". Thread-safe.
#include <cstdint>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <unordered_map>

namespace sslbind::serve {

class BackendHealth {
 public:
  bool up(const std::string& server, std::int64_t now_ms) const;
  std::int64_t in_flight(const std::string& server) const;
  // A connection or request failure: down for `for_ms` (passive), unless a health check brings it back first.
  void mark_down(const std::string& server, std::int64_t until_ms);
  // A health check's verdict: up at once, or down until the next check says otherwise.
  void checked(const std::string& server, bool healthy, std::int64_t until_ms);

  void started(const std::string& server);               // a request went to it
  void finished(const std::string& server, int status);  // its response ended (status 0: it failed)
  void failed(const std::string& server);                // connect refused, reset, timeout

  // {"<server>": {"up", "requests", "inFlight", "failures", "responses": {"2xx": n, ...}}}
  nlohmann::json to_json(std::int64_t now_ms) const;

 private:
  struct State {
    std::int64_t down_until = 0;
    std::int64_t in_flight = 0;
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    std::uint64_t by_class[6] = {};  // responses by status class: 0 failed, 1xx ... 5xx
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::string, State> servers_;
};

}  // namespace sslbind::serve
