#pragma once
// The IP listen list (netsh http add|delete|show iplisten): the addresses HTTP.SYS binds. Empty, it binds every
// address; otherwise only the listed ones, "0.0.0.0" standing for every IPv4 address and "::" for every IPv6 one.
// Windows keeps it in HKLM\SYSTEM\CurrentControlSet\Services\HTTP\Parameters\ListenOnlyList (REG_MULTI_SZ).
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/endpoint.hpp"
#include "core/result.hpp"
#include "core/verb.hpp"

namespace sslbind {

struct IpListenCommand {
  Verb verb = Verb::Show;
  std::optional<IpAddress> address;  // add and delete
};

// add|delete iplisten [ipaddress=]<IPv4 or IPv6 address>, show iplisten.
Result<IpListenCommand> parse_iplisten_arguments(Verb verb, std::span<const std::string> arguments);
std::span<const std::string_view> iplisten_parameters(Verb verb);

// netsh's rules: adding a listed address is 183, deleting one not listed is 2. The list keeps the order of adding.
Status add_ip_listen(std::vector<IpAddress>& list, const IpAddress& address);
Status delete_ip_listen(std::vector<IpAddress>& list, const IpAddress& address);

}  // namespace sslbind
