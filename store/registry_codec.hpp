#pragma once
// The registry file's document: a JSON tree whose nesting mirrors the Windows registry, e.g.
//   HKEY_LOCAL_MACHINE / SYSTEM / CurrentControlSet / Services / HTTP / Parameters / SslBindingInfo / 0.0.0.0:443
// with Windows value names (SslCertHash, AppId, ...) and typed values {"type": "REG_DWORD", "data": 0}.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/registry_state.hpp"
#include "core/result.hpp"

namespace sslbind::store {

inline constexpr int kSchemaVersion = 1;

// An empty document of the current schema version.
nlohmann::json empty_document();

// Checks the schema version and reads every binding, validating each key and value with the same rules as the
// command line. Any fault is a RegistryUnreadable error that names the registry path at fault.
Result<BindingSet> decode_bindings(const nlohmann::json& document);

// Parses the file's text. Errors name the byte where the JSON breaks.
Result<nlohmann::json> parse_document(std::string_view text);

// Replaces the binding subkeys of `document` with `bindings`, leaving every other key (e.g. CentralCertProvider)
// as it was.
void encode_bindings(const BindingSet& bindings, nlohmann::json& document);

// The CentralCertProvider key, if present. Values sslbind does not use (Password) are kept as they are.
Result<std::optional<CcsProviderConfig>> decode_ccs_provider(const nlohmann::json& document);
void encode_ccs_provider(const std::optional<CcsProviderConfig>& config, nlohmann::json& document);

// Both of the above: what a RegistryFile transaction works on.
Result<RegistryState> decode_registry(const nlohmann::json& document);
void encode_registry(const RegistryState& state, nlohmann::json& document);

// "SslBindingInfo", "SslSniBindingInfo", "SslCcsBindingInfo", "SslScopedCcsBindingInfo".
std::string_view binding_info_key(KeyKind kind);
// The subkey name of a binding under its *BindingInfo key: "0.0.0.0:443", "[::]:443", "www.contoso.com:443".
std::string binding_subkey_name(const BindingKey& key);

}  // namespace sslbind::store
