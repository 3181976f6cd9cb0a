#pragma once
// Which web worker of a farm a request goes to, and what a failed attempt means: pure functions, one truth for the
// HTTP/1.1 and (later) HTTP/2 sessions, tested in tests/unit/balancer_test.cpp.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/webfarm.hpp"

namespace sslbind::serve {

struct ServerState {
  bool up = true;              // not taken out by failures or a health check
  bool has_address = true;     // its host name resolved
  std::int64_t in_flight = 0;  // requests of every thread under way to it
};

// Among the farm's servers not tried yet for this request, up and with an address: the one at `turn` (this thread's
// round robin), or with loadbalance=leastrequests the one with the fewest requests in flight (the first in the
// farm's order among equals). nullptr: none is left.
const FarmServer* choose_server(const WebFarm& farm, const std::vector<std::string>& tried, std::size_t turn,
                                const std::function<ServerState(const std::string& server)>& state);

// What is known of an attempt that failed before its response ended.
struct FailedAttempt {
  bool connected = false;       // a connection was made, or taken from the keep-alive pool
  bool reused = false;          // it came from the pool
  bool response_bytes = false;  // a byte of the response came
  bool body_sent = false;       // a byte of the request body reached the web worker
  bool idempotent = false;      // the method may be repeated (RFC 9110, 9.2.2)
};

struct FailureVerdict {
  // Against the server, in ARR's live traffic test: 0 for a pooled connection the web worker had closed meanwhile
  // (no fault of the server), 2 for a connect that failed (the server's own doing), 1 for a reset after the request
  // went (the request may have caused it: one client's request never takes a server out alone).
  std::uint32_t weight = 0;
  // Sending the request again is safe: none of it reached a web worker (the connect failed), or the pooled
  // connection was stale, or it is idempotent and no body byte went; never once a response byte came.
  bool retry = false;
  bool same_server = false;  // a stale pooled connection: the same server may be tried again, on a fresh connection
};

FailureVerdict judge_failure(const FailedAttempt& attempt);

}  // namespace sslbind::serve
