#include "core/tool_commands.hpp"

#include <array>

#include "core/hostname.hpp"
#include "core/key_values.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::array<std::string_view, 2> kResolveParams{"ipport", "hostname"};
constexpr std::array<std::string_view, 1> kCheckParams{"days"};
constexpr std::uint64_t kMaxDays = 36500;

}  // namespace

std::span<const std::string_view> resolve_parameters() { return kResolveParams; }
std::span<const std::string_view> check_parameters() { return kCheckParams; }

Result<ResolveCommand> parse_resolve_arguments(std::span<const std::string> arguments) {
  auto kv = KeyValues::parse(arguments, kResolveParams, "resolve", "ipport=10.0.0.5:443");
  if (!kv) return kv.error();
  const auto ipport = kv->get("ipport");
  if (!ipport) return Error(ErrorCode::MissingParameters, "resolve needs ipport=<ipaddr:port>, the address the client connects to");
  auto connection = IpPort::parse(*ipport);
  if (!connection) return connection.error();
  if (connection->address.is_wildcard()) {
    return invalid("ipport " + text::quote(*ipport) + " is a wildcard; give the address a client connects to, "
                   "e.g. 10.0.0.5:443 or [2001:db8::5]:443");
  }
  ResolveCommand cmd{*connection, kv->get("hostname")};
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
