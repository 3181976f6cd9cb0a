#pragma once
// The web farms and routes in the registry file (HKLM\SOFTWARE\sslbind\WebFarms\<name>, \Routes\<host>): checked
// with the command line's rules when read, written whole when the state is written.
#include <nlohmann/json.hpp>

#include "core/webfarm.hpp"

namespace sslbind::store {

Result<FarmSet> decode_farms(const nlohmann::json& document);
void encode_farms(const FarmSet& farms, nlohmann::json& document);

}  // namespace sslbind::store
