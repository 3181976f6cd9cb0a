#pragma once
// Text and JSON for the Central Certificate Store provider and the certificates its folder serves.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/registry_state.hpp"
#include "store/ccs_provider.hpp"

namespace sslbind::cli {

std::string ccs_provider_text(const CcsProviderConfig& config);
nlohmann::ordered_json ccs_provider_json(const CcsProviderConfig& config);

// `now` decides what is shown as expired.
std::string ccs_entries_text(const std::vector<store::CcsEntry>& entries, const std::vector<std::string>& ignored,
                             std::int64_t now);
nlohmann::ordered_json ccs_entry_json(const store::CcsEntry& entry, std::int64_t now);

}  // namespace sslbind::cli
