#pragma once
// The `webfarm` and `route` objects, ARR's SSL offloading in sslbind's netsh style:
//   add webfarm name=NAME server=HOST:PORT[,HOST:PORT...] [healthcheck=/path|none] [healthinterval=S]
//               [healthstatus=200-399] [loadbalance=roundrobin|leastrequests] [arrssl=enable|disable]
//               [failures=N] [failurewindow=S]
//   update webfarm name=NAME (the same, each optional: what is given changes), delete webfarm name=, show webfarm
//   add route host=NAME|*.DOMAIN|* webfarm=NAME, delete route host=, show route [host=]
#include <optional>
#include <span>
#include <string>

#include "core/verb.hpp"
#include "core/webfarm.hpp"

namespace sslbind {

struct WebFarmCommand {
  Verb verb = Verb::Show;
  std::optional<std::string> name;  // show without a name lists every farm
  std::optional<std::vector<FarmServer>> servers;
  std::optional<std::optional<std::string>> health_check;  // given; none clears it
  std::optional<std::uint32_t> health_interval;
  std::optional<HealthStatus> health_status;
  std::optional<LoadBalance> load_balance;
  std::optional<bool> arr_ssl;
  std::optional<std::uint32_t> failures;
  std::optional<std::uint32_t> failure_window;

  // The farm add creates, or what update makes of `current`.
  WebFarm apply(const WebFarm& current) const;
};

struct RouteCommand {
  Verb verb = Verb::Show;
  std::optional<std::string> host;  // lower case, from parse_route_host
  std::optional<std::string> farm;
};

Result<WebFarmCommand> parse_webfarm_arguments(Verb verb, std::span<const std::string> arguments);
std::span<const std::string_view> webfarm_parameters(Verb verb);
Result<RouteCommand> parse_route_arguments(Verb verb, std::span<const std::string> arguments);
std::span<const std::string_view> route_parameters(Verb verb);

}  // namespace sslbind
