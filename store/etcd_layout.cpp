#include "store/etcd_layout.hpp"

#include "store/registry_codec.hpp"

namespace sslbind::store::etcd {
namespace {

constexpr std::string_view kBindings = "bindings/";
constexpr std::string_view kConfig = "config";
constexpr std::string_view kCounter = "revision";

}  // namespace

std::string prefix_of(std::string_view farm) { return "/sslbind/v1/" + std::string(farm) + "/"; }

std::string frontends_prefix_of(std::string_view farm) { return "/sslbind/v1-frontends/" + std::string(farm) + "/"; }

KeyName name_of(std::string_view prefix, std::string_view key) {
  KeyName out;
  if (!key.starts_with(prefix)) return out;
  const std::string_view name = key.substr(prefix.size());
  if (name == kCounter) {
    out.kind = KeyName::Kind::Counter;
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

std::map<std::string, std::string> encode(std::string_view prefix, const RegistryState& state,
                                          const nlohmann::json& rest) {
  std::map<std::string, std::string> out;
  for (const auto& [key, binding] : state.bindings) {
    BindingRecord record = encode_binding(binding);
    out[std::string(prefix) + std::string(kBindings) + record.family + "/" + record.subkey] = std::move(record.values);
  }
  const RegistryState others{BindingSet{}, state.ccs_provider, state.farms, state.ip_listen, state.tls_policy};
  nlohmann::json document = rest.is_object() ? rest : empty_document();
  out[std::string(prefix) + std::string(kConfig)] = write_registry(others, document);
  return out;
}

Result<Binding> decode_binding_key(const KeyName& name, const std::string& key, const std::string& value) {
  auto binding = decode_binding({name.family, name.subkey, value});
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
