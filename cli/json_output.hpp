#pragma once
// --json output; the schema is documented in docs/json.md. Field names are netsh's parameter names.
#include <nlohmann/json.hpp>
#include <string>

#include "cli/messages.hpp"
#include "core/binding.hpp"

namespace sslbind::cli {

nlohmann::ordered_json binding_json(const Binding& binding);
nlohmann::ordered_json error_json(const std::string& command, const ErrorReport& report);
nlohmann::ordered_json ok_json(const std::string& command);

}  // namespace sslbind::cli
