#include "store/etcd_layout.hpp"

#include "core/registry_names.hpp"
#include "core/text.hpp"
#include "store/registry_codec.hpp"

namespace sslbind::store::etcd {
namespace {

constexpr std::string_view kBindings = "bindings/";
constexpr std::string_view kConfig = "config";
constexpr std::string_view kCounter = "revision";
constexpr std::string_view kTickets = "tickets";

}  // namespace

std::string prefix_of(std::string_view farm) { return "/sslbind/v1/" + std::string(farm) + "/"; }

std::string frontends_prefix_of(std::string_view farm) { return "/sslbind/v1-frontends/" + std::string(farm) + "/"; }

KeyName name_of(std::string_view prefix, std::string_view key) {
  KeyName out;
  if (!key.starts_with(prefix)) return out;
  const std::string_view name = key.substr(prefix.size());
  if (name == kCounter) {
    out.kind = KeyName::Kind::Counter;
  } else if (name == kTickets) {
    out.kind = KeyName::Kind::Tickets;
  } else if (name == kConfig) {
    out.kind = KeyName::Kind::Config;
  } else if (name.starts_with(kBindings)) {
    const std::string_view path = name.substr(kBindings.size());
    const std::size_t slash = path.find('/');
    if (slash != std::string_view::npos && slash > 0 && slash + 1 < path.size()) {
      out.kind = KeyName::Kind::Binding;
      out.family = std::string(path.substr(0, slash));
      out.subkey = std::string(path.substr(slash + 1));
    }
  }
  return out;
}

std::string binding_key(std::string_view prefix, const BindingKey& key) {
  return std::string(prefix) + std::string(kBindings) + std::string(binding_info_key(key.kind())) + "/" +
         text::to_lower(binding_subkey_name(key));
}

std::string binding_value(const Binding& binding) {
  std::string out = binding_subkey_name(binding.key) + "\n";
  append_binding_values(binding, out);
  return out;
}

std::string config_key(std::string_view prefix) { return std::string(prefix) + std::string(kConfig); }

std::string counter_key(std::string_view prefix) { return std::string(prefix) + std::string(kCounter); }

std::string tickets_key(std::string_view prefix) { return std::string(prefix) + std::string(kTickets); }

std::map<std::string, std::string> encode(std::string_view prefix, const RegistryState& state,
                                          const nlohmann::json& rest) {
  std::map<std::string, std::string> out;
  for (const auto& [key, binding] : state.bindings) out[binding_key(prefix, key)] = binding_value(binding);
  const RegistryState others{BindingSet{}, state.ccs_provider, state.farms, state.ip_listen, state.tls_policy};
  nlohmann::json document = rest.is_object() ? rest : empty_document();
  std::string config = write_registry(others, document);
  // A farm whose settings are all defaults has no config key, however it got there: a batch and single adds leave
  // the same keys behind, so two farms with the same bindings hold the same keys.
  nlohmann::json blank = empty_document();
  if (config != write_registry(RegistryState{}, blank)) out[config_key(prefix)] = std::move(config);
  return out;
}

Result<Binding> decode_binding_key(const KeyName& name, const std::string& key, const std::string& value) {
  const std::size_t line_end = value.find('\n');
  if (line_end == std::string::npos || !text::iequals(value.substr(0, line_end), name.subkey)) {
    return Error(ErrorCode::RegistryUnreadable, "key " + key + ": its value does not start with its own name");
  }
  auto binding = decode_binding({name.family, value.substr(0, line_end), value.substr(line_end + 1)});
  if (!binding) return Error(ErrorCode::RegistryUnreadable, "key " + key + ": " + binding.error().detail);
  return binding;
}

Status decode_config(const std::string& key, const std::string& value, RegistryState& state, nlohmann::json& rest) {
  auto others = read_registry(value, rest);
  if (!others) return Error(ErrorCode::RegistryUnreadable, "key " + key + ": " + others.error().detail);
  state.ccs_provider = std::move(others->ccs_provider);
  state.farms = std::move(others->farms);
  state.ip_listen = std::move(others->ip_listen);
  state.tls_policy = std::move(others->tls_policy);
  return Ok{};
}

}  // namespace sslbind::store::etcd
