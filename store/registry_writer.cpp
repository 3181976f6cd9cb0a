// write_registry and empty_document: the registry file's text, one binding per line.
#include "store/registry_codec.hpp"

#include <algorithm>
#include <vector>

#include "core/text.hpp"
#include "store/registry_decode.hpp"

namespace sslbind::store {

using namespace layout;

namespace {

// Appends the binding subkey as compact JSON, written directly: a registry of 100k bindings is written in one pass
// without building a JSON tree. Values appear in name order with their typed form {"data": ..., "type": ...}.
void append_binding(const Binding& b, std::string& out) {
  const SslSettings& s = b.settings;
  bool first = true;
  auto value = [&](const char* name, const std::string& data_json, const char* type) {
    out += first ? "{\"" : ",\"";
    first = false;
    out += name;
    out += "\":{\"data\":";
    out += data_json;
    out += ",\"type\":\"";
    out += type;
    out += "\"}";
  };
  auto binary = [&](const char* name, const std::uint8_t* data, std::size_t n) {
    value(name, "\"" + text::to_hex(data, n) + "\"", "REG_BINARY");
  };
  auto sz = [&](const char* name, const std::optional<std::string>& v) {
    if (v) value(name, json(*v).dump(), "REG_SZ");
  };
  // A DWORD of 0 is left out: HTTP.SYS reads an absent value as 0, and a registry of 100k bindings stays small.
  auto dword = [&](const char* name, std::uint32_t v) {
    if (v != 0) value(name, std::to_string(v), "REG_DWORD");
  };
  const auto appid = s.appid.windows_bytes();
  binary(kAppId, appid.data(), appid.size());
  dword(kFlags, s.flags);
  dword(kCheckMode, s.check_mode);
  sz(kCtlIdentifier, s.ctl_identifier);
  sz(kCtlStoreName, s.ctl_store_name);
  dword(kFreshness, s.revocation_freshness_time);
  dword(kUrlTimeout, s.url_retrieval_timeout);
  if (b.key.kind() == KeyKind::HostnamePort || b.key.kind() == KeyKind::ScopedCcs) sz(kHostnamePort, b.key.value());
  if (s.certhash) binary(kCertHash, s.certhash->bytes().data(), Thumbprint::kBytes);
  sz(kStoreName, s.certstorename);
  out += '}';
}

// Writes `node` as compact JSON, except that the path to the binding keys gets a line per key and each binding a
// line of its own: the file stays readable and diffable, and is written in one pass.
void write_node(const json& node, const RegistryState& state, std::vector<std::string>& path, std::string& out) {
  static const std::vector<std::string> kBindingsPath = {kHive, "SYSTEM", "CurrentControlSet", "Services", "HTTP",
                                                         "Parameters"};
  const bool on_path = path.size() <= kBindingsPath.size() &&
                       std::equal(path.begin(), path.end(), kBindingsPath.begin());
  if (path.size() == kBindingsPath.size() + 1 && std::equal(kBindingsPath.begin(), kBindingsPath.end(), path.begin())) {
    if (const auto kind = kind_of_info_key(path.back())) {
      out += '{';
      bool first = true;
      for (const auto& [key, binding] : state.bindings) {
        if (key.kind() != *kind) continue;
        out += first ? "\n" : ",\n";
        first = false;
        out += json(binding_subkey_name(key)).dump() + ":";
        append_binding(binding, out);
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
