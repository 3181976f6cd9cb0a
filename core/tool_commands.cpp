#include "core/tool_commands.hpp"

#include <algorithm>
#include <array>

#include "core/hostname.hpp"
#include "core/key_values.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::array<std::string_view, 2> kResolveParams{"ipport", "hostname"};
constexpr std::array<std::string_view, 1> kCheckParams{"days"};
constexpr std::array<std::string_view, 1> kInterchangeParams{"file"};
constexpr std::uint64_t kMaxDays = 36500;

Result<InterchangeCommand> parse_interchange(std::span<const std::string> arguments, std::string_view verb,
                                             std::span<const std::string_view> objects) {
  const auto object =
      arguments.empty() ? objects.end() : std::find_if(objects.begin(), objects.end(), [&](std::string_view o) {
        return text::iequals(arguments.front(), o);
      });
  if (object == objects.end()) {
    std::string names;
    std::string forms;
    for (std::string_view o : objects) {
      names += (names.empty() ? "" : " or ") + std::string(o);
      forms += (forms.empty() ? "" : " or ") + std::string(verb) + " " + std::string(o) + " file=<path>";
    }
    return invalid(std::string(verb) + " takes " + names + ": sslbind " + forms);
  }
  const std::string command = std::string(verb) + " " + std::string(*object);
  auto kv = KeyValues::parse(arguments.subspan(1), kInterchangeParams, command, "file=bindings.txt");
  if (!kv) return kv.error();
  const auto file = kv->get("file");
  if (!file) return Error(ErrorCode::MissingParameters, command + " needs file=<path>, or file=- for the console");
  if (auto s = check_path(*file, "file"); !s) return s.error();
  return InterchangeCommand{*file, std::string(*object)};
}

}  // namespace

std::span<const std::string_view> interchange_parameters() { return kInterchangeParams; }
std::span<const std::string_view> resolve_parameters() { return kResolveParams; }

Result<InterchangeCommand> parse_export_arguments(std::span<const std::string> arguments) {
  static constexpr std::array<std::string_view, 2> kFormats{"reg", "farmkey"};
  return parse_interchange(arguments, "export", kFormats);
}

Result<InterchangeCommand> parse_import_arguments(std::span<const std::string> arguments) {
  static constexpr std::array<std::string_view, 3> kFormats{"netsh", "reg", "farmkey"};
  return parse_interchange(arguments, "import", kFormats);
}
std::span<const std::string_view> check_parameters() { return kCheckParams; }

Result<ResolveCommand> parse_resolve_arguments(std::span<const std::string> arguments) {
  auto kv = KeyValues::parse(arguments, kResolveParams, "resolve", "ipport=10.0.0.5:443");
  if (!kv) return kv.error();
  const auto ipport = kv->get("ipport");
  if (!ipport)
    return Error(ErrorCode::MissingParameters,
                 "resolve needs ipport=<ipaddr:port>, the address the client connects to");
  auto connection = IpPort::parse(*ipport);
  if (!connection) return connection.error();
  if (connection->address.is_wildcard()) {
    return invalid("ipport " + text::quote(*ipport) +
                   " is a wildcard; give the address a client connects to, "
                   "e.g. 10.0.0.5:443 or [2001:db8::5]:443");
  }
  ResolveCommand cmd{*connection, kv->get("hostname")};
  // As a client's SNI: "www.contoso.com." asks what "www.contoso.com" gets, as serve answers it.
  if (cmd.hostname) cmd.hostname = std::string(without_root_dot(*cmd.hostname));
  if (cmd.hostname) {
    if (auto s = validate_hostname(*cmd.hostname, "hostname", /*allow_wildcard=*/false); !s) return s.error();
  }
  return cmd;
}

Result<CheckCommand> parse_check_arguments(std::span<const std::string> arguments) {
  auto kv = KeyValues::parse(arguments, kCheckParams, "check", "days=30");
  if (!kv) return kv.error();
  CheckCommand cmd;
  if (auto days = kv->get("days")) {
    const auto n = text::parse_decimal(*days, kMaxDays);
    if (!n) return invalid("days " + text::quote(*days) + " is not a number of days from 0 to 36500");
    cmd.expiry_days = static_cast<std::uint32_t>(*n);
  }
  return cmd;
}

}  // namespace sslbind
