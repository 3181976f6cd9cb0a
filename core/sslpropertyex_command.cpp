// update sslpropertyex: one extended property of an existing binding.
#include <array>

#include "core/key_values.hpp"
#include "core/sslcert_command.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::array<std::string_view, 8> kParameters{"ipport",
                                                      "hostnameport",
                                                      "ccs",
                                                      "scopedccs",
                                                      "propertyid",
                                                      "receivewindow",
                                                      "maxsettingsperframe",
                                                      "maxsettingsperminute"};

constexpr std::string_view kCommand = "update sslpropertyex";

Error missing(std::string what) { return Error(ErrorCode::MissingParameters, std::move(what)); }

// Which values belong to which id, for the message when one is given with the other.
Status check_values_belong(std::uint32_t id, const KeyValues& values) {
  const bool window = values.has("receivewindow");
  const bool limits = values.has("maxsettingsperframe") || values.has("maxsettingsperminute");
  if (id == 0 && limits) {
    return invalid(
        "maxsettingsperframe= and maxsettingsperminute= belong to propertyid=1 (Http2SettingsLimits), "
        "not propertyid=0; set them in a command of their own");
  }
  if (id == 1 && window) {
    return invalid(
        "receivewindow= belongs to propertyid=0 (Http2Window), not propertyid=1; set it in a command "
        "of its own");
  }
  if (id == 0 && !window) return missing(std::string(kCommand) + " propertyid=0 needs receivewindow=<bytes>");
  if (id == 1 && !limits) {
    return missing(std::string(kCommand) +
                   " propertyid=1 needs maxsettingsperframe=<u-int>, maxsettingsperminute=<u-int> or both");
  }
  return Ok{};
}

}  // namespace

std::span<const std::string_view> sslpropertyex_parameters() { return kParameters; }

Result<SslCertCommand> parse_sslpropertyex_arguments(std::span<const std::string> arguments) {
  auto values = KeyValues::parse(arguments, kParameters, kCommand, "ipport=0.0.0.0:443");
  if (!values) return values.error();
  SslCertCommand cmd;
  cmd.verb = Verb::Update;
  for (const ParamSpec& spec : sslcert_parameters()) {
    if (!is_key_parameter(spec) || !values->has(spec.name)) continue;
    if (cmd.key)
      return invalid("give one binding key, not both " + cmd.key->as_parameter() + " and " + std::string(spec.name) +
                     "=");
    auto key = parse_binding_key(spec, *values->get(spec.name));
    if (!key) return key.error();
    cmd.key = std::move(*key);
  }
  if (!cmd.key) {
    return missing(std::string(kCommand) +
                   " needs the binding: ipport=<ipaddr:port>, hostnameport=<name:port>, ccs=<port> or "
                   "scopedccs=<name:port>");
  }
  if (!values->has("propertyid")) {
    return missing(std::string(kCommand) +
                   " needs propertyid=0 (receivewindow=) or propertyid=1 (maxsettingsperframe=, "
                   "maxsettingsperminute=)");
  }
  const std::string id_text = *values->get("propertyid");
  auto id = parse_u_int("propertyid", id_text);
  if (!id) return id.error();
  if (*id > 1) {
    const std::string_view name = property_id_name(*id);
    return invalid(
        "propertyid=" + id_text +
        (name.empty() ? " is not a property HTTP.SYS knows" : " (" + std::string(name) + ") is not one netsh sets") +
        "; " + std::string(kCommand) +
        " takes propertyid=0 (receivewindow=) and propertyid=1 (maxsettingsperframe=, "
        "maxsettingsperminute=)");
  }
  if (auto s = check_values_belong(*id, *values); !s) return s.error();
  PropertyChange change;
  change.id = static_cast<PropertyId>(*id);
  const auto read = [&](std::string_view name, std::optional<std::uint32_t>& into) -> Status {
    if (!values->has(name)) return Ok{};
    auto n = parse_u_int(name, *values->get(name));
    if (!n) return n.error();
    into = *n;
    return Ok{};
  };
  for (const auto& [name, into] : {std::pair{"receivewindow", &change.receive_window},
                                   std::pair{"maxsettingsperframe", &change.max_settings_per_frame},
                                   std::pair{"maxsettingsperminute", &change.max_settings_per_minute}}) {
    if (auto s = read(name, *into); !s) return s.error();
  }
  if (change.receive_window) {
    if (auto s = validate_receive_window(*change.receive_window); !s) return s.error();
  }
  cmd.property = change;
  return cmd;
}

}  // namespace sslbind
