#include "cli/json_output.hpp"

#include "core/parameters.hpp"

namespace sslbind::cli {

// Ordered, so that the key comes first and the fields follow netsh's show order.
using json = nlohmann::ordered_json;

json binding_json(const Binding& b) {
  const SslSettings& s = b.settings;
  const std::string key_name(key_parameter(b.key.kind()));
  json j;
  j["keytype"] = key_name;
  if (b.key.kind() == KeyKind::Ccs)
    j[key_name] = b.key.port();
  else
    j[key_name] = b.key.value();
  auto optional = [](const auto& v) -> json { return v ? json(*v) : json(nullptr); };
  j["certhash"] = s.certhash ? json(s.certhash->hex()) : json(nullptr);
  j["appid"] = s.appid.str();
  j["certstorename"] = optional(s.certstorename);
  for (const ParamSpec& p : sslcert_parameters()) {
    if (p.type == ParamType::Toggle) j[std::string(p.name)] = toggle_enabled(p, s);
  }
  j["revocationfreshnesstime"] = s.revocation_freshness_time;
  j["urlretrievaltimeout"] = s.url_retrieval_timeout;
  j["sslctlidentifier"] = optional(s.ctl_identifier);
  j["sslctlstorename"] = optional(s.ctl_store_name);
  // The raw registry words, for bits no netsh option names (e.g. Enable Caching Client Hello).
  j["DefaultSslCertCheckMode"] = s.check_mode;
  j["DefaultFlags"] = s.flags;
  const ExtendedProperties& x = b.extended;
  j["extendedProperties"] = {{"receivewindow", x.receive_window},
                             {"maxsettingsperframe", x.max_settings_per_frame},
                             {"maxsettingsperminute", x.max_settings_per_minute}};
  return j;
}

json ok_json(const std::string& command) { return {{"command", command}, {"status", "ok"}}; }

json error_json(const std::string& command, const ErrorReport& r) {
  json e;
  e["kind"] = r.kind;
  e["win32"] = r.win32 ? json(*r.win32) : json(nullptr);
  e["netsh"] = r.netsh;
  e["detail"] = r.detail;
  e["exitCode"] = r.exit_code;
  return {{"command", command}, {"status", "error"}, {"error", e}};
}

std::string dump_json(const nlohmann::ordered_json& document) {
  // Text from the file system (a folder name) may not be UTF-8; it is shown replaced rather than aborting the command.
  return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// An object's fields as dump(2) prints them inside the top-level object, without the braces.
std::string fields(const nlohmann::ordered_json& object) {
  if (object.empty()) return "";
  std::string text = dump_json(object);
  return text.substr(2, text.size() - 4);  // "{\n" ... "\n}"
}

}  // namespace

StreamedJson::StreamedJson(std::ostream& out, const nlohmann::ordered_json& head, std::string_view array_key)
    : out_(out) {
  const std::string before = fields(head);
  out_ << "{\n" << before << (before.empty() ? "" : ",\n") << "  " << nlohmann::json(array_key).dump() << ": [";
}

void StreamedJson::add(const nlohmann::ordered_json& item) {
  std::string text = dump_json(item);
  for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 5)) {
    text.replace(at, 1, "\n    ");
  }
  out_ << (empty_ ? "\n    " : ",\n    ") << text;
  empty_ = false;
}

void StreamedJson::finish(const nlohmann::ordered_json& tail) {
  const std::string after = fields(tail);
  out_ << (empty_ ? "]" : "\n  ]") << (after.empty() ? "" : ",\n" + after) << "\n}\n" << std::flush;
}

}  // namespace sslbind::cli
