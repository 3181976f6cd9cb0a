#include "serve/status_document.hpp"

#include <unistd.h>

#include "serve/clock.hpp"

namespace sslbind::serve {
namespace {

std::int64_t unix_now() {
  using std::chrono::system_clock;
  return std::chrono::duration_cast<std::chrono::seconds>(system_clock::now().time_since_epoch()).count();
}

// Per farm of the snapshot, its servers' counters (a server in two farms counts once for both).
nlohmann::json farms_of(const Snapshot& snapshot, const nlohmann::json& workers) {
  nlohmann::json farms = nlohmann::json::array();
  for (const auto& [key, farm] : snapshot.state().farms.farms()) {
    nlohmann::json servers = nlohmann::json::array();
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    for (const FarmServer& server : farm.servers) {
      const std::string name = server.str();
      const bool seen = workers.contains(name);
      const bool up = seen ? workers[name]["up"].get<bool>() : true;
      const std::uint64_t r = seen ? workers[name]["requests"].get<std::uint64_t>() : 0;
      const std::uint64_t f = seen ? workers[name]["failures"].get<std::uint64_t>() : 0;
      servers.push_back({{"server", name}, {"up", up}, {"requests", r}, {"failures", f}});
      requests += r;
      failures += f;
    }
    farms.push_back({{"name", farm.name}, {"requests", requests}, {"failures", failures}, {"servers", servers}});
  }
  return farms;
}

nlohmann::json ccs_of(const StatusInputs& in) {
  const auto& provider = in.snapshot.ccs();
  if (!provider)
    return in.snapshot.ccs_problem().empty() ? nullptr : nlohmann::json{{"error", in.snapshot.ccs_problem()}};
  const auto listing = provider->index();
  nlohmann::json ccs = {{"folder", provider->folder().string()},
                        {"listed", listing != nullptr},
                        {"files", listing ? listing->pfx_files().size() : 0},
                        {"pollingInterval", in.ccs_poll_interval.count()},
                        {"watched", in.ccs_watched},
                        {"listingOverdue", provider->listing_overdue()},
                        {"listingDeadlines", in.ccs_listing_deadlines}};
  if (auto problem = provider->listing_problem()) ccs["error"] = *problem;
  return ccs;
}

nlohmann::json client_certificates_of(const SharedState& shared) {
  nlohmann::json out = shared.trust.status();
  out["crls"] = shared.crls.status();
  return out;
}

}  // namespace

nlohmann::json status_document(const StatusInputs& in) {
  const std::int64_t steady = steady_ms();
  nlohmann::json listeners = nlohmann::json::array();
  for (const auto& l : in.snapshot.listeners()) listeners.push_back(l.str());
  nlohmann::json backends = nlohmann::json::array();
  for (const IpPort& backend : in.shared.options.backends) {
    backends.push_back({{"address", backend.str()}, {"up", in.shared.health.up(backend.str(), steady)}});
  }
  const nlohmann::json workers = in.shared.health.to_json(steady);
  const auto age = std::chrono::system_clock::now() - in.snapshot.built();
  return {{"status", "ok"},
          {"pid", ::getpid()},
          {"root", in.root.string()},
          {"generation", in.snapshot.generation()},
          {"snapshotAgeSeconds", std::chrono::duration_cast<std::chrono::seconds>(age).count()},
          {"reloadFailures", in.reload_failures},
          {"adminDropped", in.admin_dropped},
          {"bindings", in.snapshot.binding_count()},
          {"threads", in.threads},
          {"listeners", listeners},
          {"connections", in.shared.stats.to_json()},
          {"backends", backends},
          {"webWorkers", workers},
          {"webFarms", farms_of(in.snapshot, workers)},
          {"ccs", ccs_of(in)},
          {"cache", in.shared.cache.status(unix_now())},
          {"ocsp", in.shared.ocsp.status(unix_now())},
          {"clientCertificates", client_certificates_of(in.shared)},
          {"store", in.store}};
}

}  // namespace sslbind::serve
