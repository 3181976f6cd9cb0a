#pragma once
// Decoding of the registry document (not a public interface): binding subkeys and the CCS provider key, checked
// with the same rules as the command line.
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>

#include "core/registry_state.hpp"
#include "store/registry_values.hpp"

namespace sslbind::store {

Status check_version(const nlohmann::json& document);
// The values a binding subkey may hold.
std::span<const char* const> binding_value_names();
// Decodes one binding subkey and adds it to `set`.
Status decode_subkey(KeyKind kind, const std::string& name, const RawValues& values, BindingSet& set);
// Every binding subkey left in the document's tree.
Status decode_bindings_into(const nlohmann::json& document, BindingSet& set);

// The CentralCertProvider key, if present. Values sslbind does not use (Password) are kept as they are.
Result<std::optional<CcsProviderConfig>> decode_ccs_provider(const nlohmann::json& document);
// HTTP\Parameters\ListenOnlyList: empty when the value is absent. Written only when the list is not empty.
Result<std::vector<IpAddress>> decode_ip_listen(const nlohmann::json& document);
void encode_ip_listen(const std::vector<IpAddress>& list, nlohmann::json& document);
// HKLM\SOFTWARE\sslbind\TlsPolicy, absent when the key is; written only once `set tlspolicy` has run.
Result<std::optional<TlsPolicy>> decode_tls_policy(const nlohmann::json& document);
void encode_tls_policy(const std::optional<TlsPolicy>& policy, nlohmann::json& document);
void encode_ccs_provider(const std::optional<CcsProviderConfig>& config, nlohmann::json& document);

}  // namespace sslbind::store
