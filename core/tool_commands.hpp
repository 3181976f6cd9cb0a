#pragma once
// The parameters of `resolve ipport=ADDR:PORT [hostname=NAME]` and `check [days=N]`.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/endpoint.hpp"
#include "core/result.hpp"

namespace sslbind {

struct ResolveCommand {
  IpPort connection;                    // the server address and port the client connects to
  std::optional<std::string> hostname;  // the SNI name; absent for a client without SNI
};
Result<ResolveCommand> parse_resolve_arguments(std::span<const std::string> arguments);

inline constexpr std::uint32_t kDefaultExpiryDays = 30;
struct CheckCommand {
  std::uint32_t expiry_days = kDefaultExpiryDays;
};
Result<CheckCommand> parse_check_arguments(std::span<const std::string> arguments);

// export reg file=<path>|-, import netsh|reg file=<path>|-: "-" is standard output or input.
struct InterchangeCommand {
  std::string file;
  std::string format;  // "reg" or "netsh", lower case
};
Result<InterchangeCommand> parse_export_arguments(std::span<const std::string> arguments);
Result<InterchangeCommand> parse_import_arguments(std::span<const std::string> arguments);

std::span<const std::string_view> interchange_parameters();
std::span<const std::string_view> resolve_parameters();
std::span<const std::string_view> check_parameters();

}  // namespace sslbind
