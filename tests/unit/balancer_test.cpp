#include "serve/balancer.hpp"

#include <doctest/doctest.h>

#include <map>

using namespace sslbind;
using namespace sslbind::serve;

namespace {

WebFarm farm(std::vector<std::string> servers, LoadBalance balance = LoadBalance::RoundRobin) {
  WebFarm f;
  f.name = "shop";
  for (const auto& s : servers) f.servers.push_back(*FarmServer::parse(s));
  f.load_balance = balance;
  return f;
}

std::string chosen(const WebFarm& f, const std::vector<std::string>& tried, std::size_t turn,
                   const std::map<std::string, ServerState>& states = {}) {
  const FarmServer* s = choose_server(f, tried, turn, [&](const std::string& name) {
    const auto it = states.find(name);
    return it == states.end() ? ServerState{} : it->second;
  });
  return s == nullptr ? "none" : s->str();
}

}  // namespace

TEST_SUITE("serve::balancer") {
  TEST_CASE("round robin over the servers that are up, have an address and were not tried for this request") {
    const WebFarm f = farm({"10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"});
    CHECK(chosen(f, {}, 0) == "10.0.0.1:80");
    CHECK(chosen(f, {}, 1) == "10.0.0.2:80");
    CHECK(chosen(f, {}, 5) == "10.0.0.3:80");
    CHECK(chosen(f, {"10.0.0.1:80"}, 0) == "10.0.0.2:80");
    const std::map<std::string, ServerState> states{{"10.0.0.2:80", {false, true, 0}},
                                                    {"10.0.0.3:80", {true, false, 0}}};
    CHECK(chosen(f, {}, 1, states) == "10.0.0.1:80");  // 2 is down, 3 did not resolve
    CHECK(chosen(f, {"10.0.0.1:80"}, 0, states) == "none");
    CHECK(chosen(farm({"10.0.0.1:80"}), {"10.0.0.1:80"}, 0) == "none");
  }

  TEST_CASE("least requests: the fewest in flight, the farm's first among equals, down servers passed over") {
    const WebFarm f = farm({"10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"}, LoadBalance::LeastRequests);
    CHECK(chosen(f, {}, 7) == "10.0.0.1:80");
    const std::map<std::string, ServerState> busy{
        {"10.0.0.1:80", {true, true, 4}}, {"10.0.0.2:80", {true, true, 2}}, {"10.0.0.3:80", {true, true, 2}}};
    CHECK(chosen(f, {}, 0, busy) == "10.0.0.2:80");
    CHECK(chosen(f, {"10.0.0.2:80"}, 0, busy) == "10.0.0.3:80");
    auto down = busy;
    down["10.0.0.2:80"].up = false;
    down["10.0.0.3:80"].up = false;
    CHECK(chosen(f, {}, 0, down) == "10.0.0.1:80");
  }

  TEST_CASE("the retry rule: never after a response byte, never after a body byte, else by what failed") {
    // A connect that failed: nothing went, any method goes again, and it weighs two.
    auto v = judge_failure({.connected = false});
    CHECK(v.retry);
    CHECK(v.weight == 2);
    CHECK_FALSE(v.same_server);
    // A reset after the request went: idempotent methods only, weighing one.
    CHECK(judge_failure({.connected = true, .idempotent = true}).retry);
    CHECK_FALSE(judge_failure({.connected = true, .idempotent = false}).retry);
    CHECK(judge_failure({.connected = true}).weight == 1);
    // A stale pooled connection: no fault of the server, the same server again, any method without a body byte.
    v = judge_failure({.connected = true, .reused = true});
    CHECK(v.retry);
    CHECK(v.weight == 0);
    CHECK(v.same_server);
    CHECK_FALSE(judge_failure({.connected = true, .reused = true, .body_sent = true}).retry);
    // Once a response byte came, nothing is sent again, and a pooled connection was not stale.
    v = judge_failure({.connected = true, .reused = true, .response_bytes = true, .idempotent = true});
    CHECK_FALSE(v.retry);
    CHECK(v.weight == 1);
    CHECK_FALSE(judge_failure({.connected = true, .body_sent = true, .idempotent = true}).retry);
  }
}
