#include "serve/backend_health.hpp"

#include <nlohmann/json.hpp>

namespace sslbind::serve {

bool BackendHealth::up(const std::string& server, std::int64_t now_ms) const {
  std::lock_guard lock(mutex_);
  const auto it = servers_.find(server);
  return it == servers_.end() || it->second.down_until <= now_ms;
}

std::int64_t BackendHealth::in_flight(const std::string& server) const {
  std::lock_guard lock(mutex_);
  const auto it = servers_.find(server);
  return it == servers_.end() ? 0 : it->second.in_flight;
}

bool BackendHealth::failed(const std::string& server, std::uint32_t weight, std::int64_t now_ms,
                           const FailureRule& rule) {
  std::lock_guard lock(mutex_);
  State& s = servers_[server];
  ++s.failures;
  while (!s.recent.empty() && s.recent.front().first <= now_ms - rule.window_ms) s.recent.pop_front();
  s.recent.emplace_back(now_ms, weight);
  std::uint64_t sum = 0;
  for (const auto& f : s.recent) sum += f.second;
  if (sum < rule.threshold) return false;
  s.recent.clear();  // a server back from down starts with a clean window
  s.down_until = now_ms + rule.down_ms;
  return true;
}

void BackendHealth::checked(const std::string& server, bool healthy, std::int64_t until_ms) {
  std::lock_guard lock(mutex_);
  servers_[server].down_until = healthy ? 0 : until_ms;
}

void BackendHealth::started(const std::string& server) {
  std::lock_guard lock(mutex_);
  State& s = servers_[server];
  ++s.in_flight;
  ++s.requests;
}

void BackendHealth::finished(const std::string& server, int status, std::int64_t head_ms) {
  std::lock_guard lock(mutex_);
  State& s = servers_[server];
  --s.in_flight;
  const int status_class = status >= 100 && status < 600 ? status / 100 : 0;
  ++s.by_class[status_class];
  if (head_ms < 0) return;
  const double seconds = static_cast<double>(head_ms) / 1000.0;
  std::size_t bucket = 0;
  while (bucket < kLatencyBounds.size() && seconds > kLatencyBounds[bucket]) ++bucket;
  ++s.latency[bucket];
  s.latency_sum += seconds;
}

nlohmann::json BackendHealth::to_json(std::int64_t now_ms) const {
  std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [server, s] : servers_) {
    out[server] = {{"up", s.down_until <= now_ms},
                   {"requests", s.requests},
                   {"inFlight", s.in_flight},
                   {"failures", s.failures},
                   {"responses",
                    {{"failed", s.by_class[0]},
                     {"1xx", s.by_class[1]},
                     {"2xx", s.by_class[2]},
                     {"3xx", s.by_class[3]},
                     {"4xx", s.by_class[4]},
                     {"5xx", s.by_class[5]}}}};
    nlohmann::json buckets = nlohmann::json::array();
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kLatencyBounds.size(); ++i) {
      cumulative += s.latency[i];
      buckets.push_back({kLatencyBounds[i], cumulative});
    }
    cumulative += s.latency.back();
    out[server]["responseSeconds"] = {{"buckets", buckets}, {"sum", s.latency_sum}, {"count", cumulative}};
  }
  return out;
}

}  // namespace sslbind::serve
