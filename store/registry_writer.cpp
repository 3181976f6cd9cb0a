// write_registry and empty_document: the registry file's text, one binding per line.
#include "store/farm_codec.hpp"
#include "store/registry_codec.hpp"

#include <algorithm>
#include <vector>

#include "core/text.hpp"
#include "store/binding_codec.hpp"
#include "store/registry_decode.hpp"

namespace sslbind::store {

using namespace layout;

namespace {

// Writes `node` as compact JSON, except that the path to the binding keys gets a line per key and each binding a
// line of its own: the file stays readable and diffable, and is written in one pass.
void write_node(const json& node, const RegistryState& state, std::vector<std::string>& path, std::string& out) {
  static const std::vector<std::string> kBindingsPath = {kHive,      "SYSTEM", "CurrentControlSet",
                                                         "Services", "HTTP",   "Parameters"};
  const bool on_path =
      path.size() <= kBindingsPath.size() && std::equal(path.begin(), path.end(), kBindingsPath.begin());
  if (path.size() == kBindingsPath.size() + 1 && std::equal(kBindingsPath.begin(), kBindingsPath.end(), path.begin())) {
    if (const auto kind = kind_of_info_key(path.back())) {
      out += '{';
      bool first = true;
      for (const auto& [key, binding] : state.bindings) {
        if (key.kind() != *kind) continue;
        out += first ? "\n" : ",\n";
        first = false;
        out += json(binding_subkey_name(key)).dump() + ":";
        append_binding_values(binding, out);
      }
      out += '}';
      return;
    }
  }
  if (!on_path || !node.is_object()) {
    out += node.dump();
    return;
  }
  out += '{';
  bool first = true;
  for (const auto& [name, child] : node.items()) {
    out += first ? "\n" : ",\n";
    first = false;
    out += json(name).dump() + ":";
    path.push_back(name);
    write_node(child, state, path, out);
    path.pop_back();
  }
  out += '}';
}

}  // namespace

json empty_document() {
  json doc = {{"schemaVersion", kSchemaVersion}};
  make_key(doc, kParametersPath.data()) = json::object();
  return doc;
}

std::string write_registry(const RegistryState& state, json& document) {
  encode_ccs_provider(state.ccs_provider, document);
  encode_farms(state.farms, document);
  encode_ip_listen(state.ip_listen, document);
  encode_tls_policy(state.tls_policy, document);
  json& params = make_key(document, kParametersPath.data());
  for (KeyKind kind : kKinds) params[std::string(binding_info_key(kind))] = json::object();
  std::string out = "{\"schemaVersion\":" + std::to_string(kSchemaVersion);
  std::vector<std::string> path;
  for (const auto& [name, child] : document.items()) {
    if (name == "schemaVersion") continue;
    out += ",\n" + json(name).dump() + ":";
    path.assign(1, name);
    write_node(child, state, path, out);
  }
  return out + "}\n";
}

}  // namespace sslbind::store
