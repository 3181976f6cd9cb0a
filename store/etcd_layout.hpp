#pragma once
// The keys of a farm's registry on etcd (docs/registry.md, "On etcd"), shared by the commands' transactions and the
// front end's follower: /sslbind/v1/<farm>/bindings/<family>/<subkey>, .../config and .../revision.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/registry_state.hpp"
#include "core/result.hpp"
#include "store/binding_codec.hpp"

namespace sslbind::store::etcd {

std::string prefix_of(std::string_view farm);  // "/sslbind/v1/<farm>/"
// Where the front ends of a farm say what they applied, under leases: outside the registry's prefix, so that neither
// a command's read nor a front end's watch sees them. "/sslbind/v1-frontends/<farm>/"
std::string frontends_prefix_of(std::string_view farm);

struct KeyName {
  enum class Kind { Binding, Config, Counter, Tickets, Foreign } kind = Kind::Foreign;
  std::string family, subkey;  // Binding
};
KeyName name_of(std::string_view prefix, std::string_view key);

// A binding's key: bindings/<family>/<subkey in lower case>, so that one key names a binding however its host is
// spelled (registry keys, like hostnames, ignore case). Its value is the subkey as it was spelled, a line end, and the
// values as the registry file writes them.
std::string binding_key(std::string_view prefix, const BindingKey& key);
std::string binding_value(const Binding& binding);
// The farm's settings (CCS provider, web farms, IP listen list, TLS policy): one key, absent when all are defaults.
std::string config_key(std::string_view prefix);
// The key every commit writes: a transaction that read the whole registry compares its mod_revision.
std::string counter_key(std::string_view prefix);
// The farm's session-ticket keys, sealed with the farm key: not part of the registry's state, and not rewritten by
// its transactions; the front ends make and rotate them.
std::string tickets_key(std::string_view prefix);

// The keys and values `state` is stored as (the counter aside), with `rest` as the config document's other keys.
std::map<std::string, std::string> encode(std::string_view prefix, const RegistryState& state,
                                          const nlohmann::json& rest);
// A binding key's value; RegistryUnreadable naming the key.
Result<Binding> decode_binding_key(const KeyName& name, const std::string& key, const std::string& value);
// The config key's value into the non-binding parts of `state`; `rest` keeps the document's other keys.
Status decode_config(const std::string& key, const std::string& value, RegistryState& state, nlohmann::json& rest);

}  // namespace sslbind::store::etcd
