#pragma once
// The registry file's document: a JSON tree whose nesting mirrors the Windows registry, e.g.
//   HKEY_LOCAL_MACHINE / SYSTEM / CurrentControlSet / Services / HTTP / Parameters / SslBindingInfo / 0.0.0.0:443
// with Windows value names (SslCertHash, AppId, ...) and typed values {"type": "REG_DWORD", "data": 0}.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/registry_names.hpp"
#include "core/registry_state.hpp"
#include "core/result.hpp"

namespace sslbind::store {

inline constexpr int kSchemaVersion = 1;

// An empty document of the current schema version.
nlohmann::json empty_document();

// Parses the file's text into the state, checking the schema version and every key and value with the same rules
// as the command line; any fault is a RegistryUnreadable error that names the byte where the JSON breaks or the
// registry path at fault. `rest` receives the document without the binding subkeys, so that a write keeps every
// other key. Values of CentralCertProvider that sslbind does not use (Password) are kept as they are.
Result<RegistryState> read_registry(std::string_view text, nlohmann::json& rest);
// The file's text for `state`, with the other keys of `document` kept (the provider is encoded into it).
std::string write_registry(const RegistryState& state, nlohmann::json& document);

}  // namespace sslbind::store
