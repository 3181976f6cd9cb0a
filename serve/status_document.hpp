#pragma once
// The status document of a running front end: what the admin socket's "status" answers, `show frontend` prints and
// the metrics endpoint turns into Prometheus' text. Built on the control thread from what it holds.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/endpoint.hpp"
#include "serve/shared_state.hpp"
#include "serve/snapshot.hpp"

namespace sslbind::serve {

struct StatusInputs {
  const Snapshot& snapshot;
  const SharedState& shared;
  const std::filesystem::path& root;
  std::size_t threads = 0;
  std::uint64_t reload_failures = 0;
  std::uint64_t admin_dropped = 0;
  // The CCS folder's watch: inotify (local) or polling (a share), and first listings past their deadline.
  bool ccs_watched = false;
  std::chrono::seconds ccs_poll_interval{0};
  std::uint64_t ccs_listing_deadlines = 0;
  nlohmann::json store = nullptr;  // a shared store's following (Registry::follow_status); null for the file
};

nlohmann::json status_document(const StatusInputs& in);

}  // namespace sslbind::serve
