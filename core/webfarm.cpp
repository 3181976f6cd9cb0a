#include "core/webfarm.hpp"

#include <algorithm>

#include "core/endpoint.hpp"
#include "core/hostname.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::size_t kMaxFarmName = 64;
constexpr std::size_t kMaxServers = 64;
constexpr std::size_t kMaxHealthCheck = 1024;

std::string farm_key(std::string_view name) { return text::to_lower(name); }

}  // namespace

std::string_view load_balance_name(LoadBalance balance) {
  return balance == LoadBalance::RoundRobin ? "roundrobin" : "leastrequests";
}

Result<LoadBalance> parse_load_balance(std::string_view text) {
  if (text::iequals(text, "roundrobin")) return LoadBalance::RoundRobin;
  if (text::iequals(text, "leastrequests")) return LoadBalance::LeastRequests;
  return invalid("loadbalance=" + std::string(text) +
                 " is not an algorithm sslbind knows; use roundrobin or "
                 "leastrequests");
}

Result<FarmServer> FarmServer::parse(std::string_view text) {
  const auto colons = std::count(text.begin(), text.end(), ':');
  if (!text.starts_with('[') && colons > 1) {
    return invalid("server " + text::quote(text) + " is not HOST:PORT; write IPv6 addresses in brackets: [fd00::5]:80");
  }
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return invalid("server " + text::quote(text) + " needs a port: HOST:PORT, e.g. 10.0.0.5:80");
  }
  std::string_view host = text.substr(0, colon);
  auto port = parse_port(text.substr(colon + 1), "server", text);
  if (!port) return port.error();
  if (*port == 0) return invalid("server " + text::quote(text) + " has port 0; a web worker listens on 1-65535");
  if (host.starts_with('[')) {
    if (!host.ends_with(']')) return invalid("server " + text::quote(text) + " opens '[' without closing it");
    auto ip = IpAddress::parse(host.substr(1, host.size() - 2), "server");
    if (!ip || ip->family() != IpAddress::Family::V6) {
      return invalid("server " + text::quote(text) + ": an address in brackets must be IPv6");
    }
    return FarmServer{ip->str(), *port};
  }
  if (auto ip = IpAddress::parse(host, "server")) return FarmServer{ip->str(), *port};
  if (host.find_first_not_of("0123456789.") == std::string_view::npos) {
    return invalid("server " + text::quote(text) + " is not a valid IPv4 address and port");
  }
  if (auto s = validate_hostname(host, "server", false); !s) return s.error();
  return FarmServer{text::to_lower(host), *port};
}

std::string FarmServer::str() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Status validate_farm_name(std::string_view name) {
  const bool ok = !name.empty() && name.size() <= kMaxFarmName && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c == '_';
  });
  if (ok) return Ok{};
  return invalid("name=" + std::string(name) + " is not a farm name: 1-64 letters, digits, '.', '-' or '_'");
}

Result<std::vector<FarmServer>> parse_servers(std::string_view text) {
  std::vector<FarmServer> out;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    auto server = FarmServer::parse(text.substr(start, comma - start));
    if (!server) return server.error();
    if (std::find(out.begin(), out.end(), *server) != out.end()) {
      return invalid("server " + server->str() + " is given twice");
    }
    out.push_back(std::move(*server));
    if (out.size() > kMaxServers) return invalid("server= names more than 64 servers; a farm holds at most 64");
    start = comma + 1;
  }
  return out;
}

Status validate_health_check(std::string_view path) {
  const bool visible = std::all_of(path.begin(), path.end(), [](char c) { return c > ' ' && c < 0x7F; });
  if (path.starts_with('/') && path.size() <= kMaxHealthCheck && visible) return Ok{};
  return invalid("healthcheck=" + std::string(path) +
                 " is not a path: it starts with '/' and holds visible ASCII only (at most 1024 bytes), or is none");
}

Result<HealthStatus> HealthStatus::parse(std::string_view text) {
  const auto dash = text.find('-');
  const auto low = text::parse_decimal(text.substr(0, dash), 599);
  const auto high = dash == std::string_view::npos ? low : text::parse_decimal(text.substr(dash + 1), 599);
  if (!low || !high || *low < 100 || *high < *low) {
    return invalid("healthstatus=" + std::string(text) +
                   " is not a status or a range of statuses from 100 to 599, such as 200 or 200-399");
  }
  return HealthStatus{static_cast<int>(*low), static_cast<int>(*high)};
}

std::string HealthStatus::str() const {
  return low == high ? std::to_string(low) : std::to_string(low) + "-" + std::to_string(high);
}

Result<std::uint32_t> parse_health_interval(std::string_view text) {
  const auto n = text::parse_decimal(text, 3600);
  if (!n || *n == 0)
    return invalid("healthinterval=" + std::string(text) + " is not a number of seconds from 1 to 3600");
  return static_cast<std::uint32_t>(*n);
}

Result<std::uint32_t> parse_failures(std::string_view text) {
  const auto n = text::parse_decimal(text, 1000);
  if (!n || *n == 0)
    return invalid("failures=" + std::string(text) + " is not a number of failed requests from 1 to 1000");
  return static_cast<std::uint32_t>(*n);
}

Result<std::uint32_t> parse_failure_window(std::string_view text) {
  const auto n = text::parse_decimal(text, 3600);
  if (!n || *n == 0)
    return invalid("failurewindow=" + std::string(text) + " is not a number of seconds from 1 to 3600");
  return static_cast<std::uint32_t>(*n);
}

Result<std::string> parse_route_host(std::string_view text) {
  if (text == "*") return std::string("*");
  const bool wildcard = text.starts_with("*.");
  if (auto s = validate_hostname(text, "route", wildcard); !s) return s.error();
  if (!wildcard && text.find('*') != std::string_view::npos) {
    return invalid("host=" + std::string(text) + ": a wildcard stands for the first label only, as in *.contoso.com");
  }
  return text::to_lower(text);
}

Status FarmSet::add_farm(WebFarm farm) {
  const std::string key = farm_key(farm.name);
  if (farms_.contains(key)) {
    return Error(ErrorCode::AlreadyExists, "webfarm " + farm.name + " already exists; use update webfarm to change it");
  }
  farms_.emplace(key, std::move(farm));
  return Ok{};
}

Status FarmSet::update_farm(WebFarm farm) {
  const auto it = farms_.find(farm_key(farm.name));
  if (it == farms_.end()) {
    return Error(ErrorCode::NotFound, "webfarm " + farm.name + " does not exist; use add webfarm");
  }
  farm.name = it->second.name;
  it->second = std::move(farm);
  return Ok{};
}

Status FarmSet::remove_farm(std::string_view name) {
  const auto it = farms_.find(farm_key(name));
  if (it == farms_.end()) return Error(ErrorCode::NotFound, "webfarm " + std::string(name) + " does not exist");
  std::string users;
  for (const auto& [host, farm] : routes_) {
    if (farm == it->first) users += (users.empty() ? "" : ", ") + host;
  }
  if (!users.empty()) {
    return invalid("webfarm " + it->second.name + " still receives the requests of route " + users +
                   "; delete those routes first");
  }
  farms_.erase(it);
  return Ok{};
}

const WebFarm* FarmSet::find_farm(std::string_view name) const {
  const auto it = farms_.find(farm_key(name));
  return it == farms_.end() ? nullptr : &it->second;
}

Status FarmSet::add_route(std::string host, std::string_view farm) {
  const std::string key = farm_key(farm);
  if (!farms_.contains(key)) {
    return Error(ErrorCode::NotFound, "webfarm " + std::string(farm) + " does not exist; add it with add webfarm");
  }
  if (routes_.contains(host)) {
    return Error(ErrorCode::AlreadyExists, "route " + host + " already exists; delete it first to send it elsewhere");
  }
  routes_.emplace(std::move(host), key);
  return Ok{};
}

Status FarmSet::remove_route(std::string_view host) {
  const auto it = routes_.find(text::to_lower(host));
  if (it == routes_.end()) return Error(ErrorCode::NotFound, "route " + std::string(host) + " does not exist");
  routes_.erase(it);
  return Ok{};
}

const std::string* FarmSet::find_route(std::string_view host) const {
  const auto it = routes_.find(text::to_lower(host));
  return it == routes_.end() ? nullptr : &it->second;
}

const WebFarm* FarmSet::route(std::string_view host) const {
  const std::string name = text::to_lower(without_root_dot(host));
  auto farm_of = [&](const std::string& pattern) -> const WebFarm* {
    const auto it = routes_.find(pattern);
    return it == routes_.end() ? nullptr : find_farm(it->second);
  };
  if (!name.empty()) {
    if (const WebFarm* exact = farm_of(name)) return exact;
    const std::size_t dot = name.find('.');
    if (dot != std::string::npos && dot > 0) {
      if (const WebFarm* wild = farm_of("*" + name.substr(dot))) return wild;
    }
  }
  return farm_of("*");
}

}  // namespace sslbind
