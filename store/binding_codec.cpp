#include "store/binding_codec.hpp"

#include <array>

#include "core/registry_names.hpp"
#include "core/text.hpp"
#include "store/registry_decode.hpp"

namespace sslbind::store {

using namespace layout;

// Appends the binding subkey as compact JSON, written directly: a registry of 100k bindings is written in one pass
// without building a JSON tree. Values appear in name order with their typed form {"data": ..., "type": ...}.
void append_binding_values(const Binding& b, std::string& out) {
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
  const ExtendedProperties& x = b.extended;
  if (x.max_settings_per_frame != ExtendedProperties::kDefaultMaxSettingsPerFrame) {
    value(kHttp2MaxSettingsPerFrame, std::to_string(x.max_settings_per_frame), "REG_DWORD");
  }
  if (x.max_settings_per_minute != ExtendedProperties::kDefaultMaxSettingsPerMinute) {
    value(kHttp2MaxSettingsPerMinute, std::to_string(x.max_settings_per_minute), "REG_DWORD");
  }
  if (!x.http2_window_is_default()) value(kHttp2ReceiveWindow, std::to_string(x.receive_window), "REG_DWORD");
  if (s.certhash) binary(kCertHash, s.certhash->bytes().data(), Thumbprint::kBytes);
  sz(kStoreName, s.certstorename);
  out += '}';
}

BindingRecord encode_binding(const Binding& binding) {
  BindingRecord record{std::string(binding_info_key(binding.key.kind())), binding_subkey_name(binding.key), ""};
  append_binding_values(binding, record.values);
  return record;
}

Result<Binding> decode_binding(const BindingRecord& record) {
  const std::string where = record.family + "\\" + record.subkey;
  for (KeyKind kind : kKinds) {
    if (binding_info_key(kind) != record.family) continue;
    json values = json::parse(record.values, nullptr, /*allow_exceptions=*/false);
    if (!values.is_object()) return unreadable(where, "the values are not a JSON object");
    BindingSet one;
    if (auto s = decode_subkey(kind, record.subkey, raw_values(values), one); !s) return s.error();
    return one.begin()->second;
  }
  return unreadable(where, text::quote(record.family) + " is not a binding key family");
}

}  // namespace sslbind::store
