#include "serve/balancer.hpp"

#include <algorithm>
#include <climits>

namespace sslbind::serve {

const FarmServer* choose_server(const WebFarm& farm, const std::vector<std::string>& tried, std::size_t turn,
                                const std::function<ServerState(const std::string& server)>& state) {
  std::vector<std::pair<const FarmServer*, ServerState>> candidates;
  for (const FarmServer& s : farm.servers) {
    const std::string name = s.str();
    if (std::find(tried.begin(), tried.end(), name) != tried.end()) continue;
    const ServerState st = state(name);
    if (st.up && st.has_address) candidates.emplace_back(&s, st);
  }
  if (candidates.empty()) return nullptr;
  if (farm.load_balance == LoadBalance::LeastRequests) {
    const auto fewest = std::min_element(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
      return a.second.in_flight < b.second.in_flight;
    });
    return fewest->first;
  }
  return candidates[turn % candidates.size()].first;
}

FailureVerdict judge_failure(const FailedAttempt& a) {
  FailureVerdict v;
  const bool stale = a.reused && !a.response_bytes;
  v.weight = stale ? 0 : (a.connected ? 1 : 2);
  v.retry = !a.response_bytes && !a.body_sent && (!a.connected || stale || a.idempotent);
  v.same_server = stale && v.retry;
  return v;
}

}  // namespace sslbind::serve
