#pragma once
// Web farms and routes, as ARR keeps them for SSL offloading: a farm is a named set of web workers reached over plain
// HTTP; a route sends the requests for a host name (exact, a one-label wildcard "*.contoso.com", or "*") to a farm.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sslbind {

enum class LoadBalance { RoundRobin, LeastRequests };
std::string_view load_balance_name(LoadBalance balance);  // "roundrobin", "leastrequests"
Result<LoadBalance> parse_load_balance(std::string_view text);

// One web worker: an IP address or a DNS name, and a port.
struct FarmServer {
  std::string host;  // IPv6 without brackets; names in lower case
  std::uint16_t port = 0;

  // "10.0.0.5:80", "[fd00::5]:8080" or "web1.contoso.local:80".
  static Result<FarmServer> parse(std::string_view text);
  std::string str() const;
  friend bool operator==(const FarmServer&, const FarmServer&) = default;
};

// The statuses a health check accepts: one code ("200") or a range ("200-399").
struct HealthStatus {
  int low = 200;
  int high = 399;
  static Result<HealthStatus> parse(std::string_view text);
  std::string str() const;  // "200-399", or "200" for one code
  bool accepts(int status) const { return status >= low && status <= high; }
  friend bool operator==(const HealthStatus&, const HealthStatus&) = default;
};

struct WebFarm {
  std::string name;  // as typed; compared without regard to case, as IIS compares farm names
  std::vector<FarmServer> servers;
  std::optional<std::string> health_check;  // a path ("/health"); absent: no active checks
  std::uint32_t health_interval = 5;        // seconds between two checks of a server
  HealthStatus health_status{};             // the statuses that mean healthy
  LoadBalance load_balance = LoadBalance::RoundRobin;
  bool arr_ssl = true;  // send X-ARR-SSL, as ARR does
  // ARR's live-traffic test: a server goes down after `failures` failed requests within `failure_window` seconds.
  std::uint32_t failures = 5;
  std::uint32_t failure_window = 30;

  friend bool operator==(const WebFarm&, const WebFarm&) = default;
};

// A farm name: 1-64 letters, digits, '.', '-' or '_'.
Status validate_farm_name(std::string_view name);
// A list of servers: comma-separated, at least one, at most 64, no server twice.
Result<std::vector<FarmServer>> parse_servers(std::string_view text);
// A health-check path: '/' then visible ASCII, at most 1024 bytes.
Status validate_health_check(std::string_view path);
// Seconds between health checks: 1 to 3600.
Result<std::uint32_t> parse_health_interval(std::string_view text);

// failures=: 1 to 1000 failed requests; failurewindow=: 1 to 3600 seconds.
Result<std::uint32_t> parse_failures(std::string_view text);
Result<std::uint32_t> parse_failure_window(std::string_view text);

// A route's host: "*", "*.<domain>" (one label) or a host name; returned in lower case, the form routes are keyed by.
Result<std::string> parse_route_host(std::string_view text);

// The farms and routes of one registry, with add/update/delete rules like the bindings'.
class FarmSet {
 public:
  Status add_farm(WebFarm farm);              // AlreadyExists when the name is taken
  Status update_farm(WebFarm farm);           // NotFound when it is not there; the stored name keeps its spelling
  Status remove_farm(std::string_view name);  // NotFound; refused while a route sends requests to it
  const WebFarm* find_farm(std::string_view name) const;

  Status add_route(std::string host, std::string_view farm);  // host from parse_route_host; the farm must exist
  Status remove_route(std::string_view host);
  const std::string* find_route(std::string_view host) const;  // the farm name of exactly this route

  // The farm a request for `host` goes to: the exact route, then the one-label wildcard of its parent, then "*".
  // `host` is the Host header's name (without port), in any case, with or without a trailing dot.
  const WebFarm* route(std::string_view host) const;

  const std::map<std::string, WebFarm>& farms() const { return farms_; }        // by lower-case name
  const std::map<std::string, std::string>& routes() const { return routes_; }  // host pattern -> farm key

  friend bool operator==(const FarmSet&, const FarmSet&) = default;

 private:
  std::map<std::string, WebFarm> farms_;
  std::map<std::string, std::string> routes_;
};

}  // namespace sslbind
