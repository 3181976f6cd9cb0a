#include "store/farm_codec.hpp"

#include "store/registry_values.hpp"

namespace sslbind::store {

using namespace layout;

namespace {

// The subkeys of a key that sslbind owns: an object of objects, or absent.
Result<const json*> subkeys(const json& document, const char* const* path, const char* display) {
  const json* key = find_key(document, path);
  if (key == nullptr) return key;
  if (!key->is_object()) return unreadable(display, "this key and every key above it must be JSON objects");
  for (const auto& [name, node] : key->items()) {
    if (!node.is_object()) return unreadable(std::string(display) + "\\" + name, "a subkey must be a JSON object");
  }
  return key;
}

Result<WebFarm> decode_farm(const std::string& name, const json& node) {
  const std::string where = std::string(kWebFarmsDisplay) + "\\" + name;
  auto fail = [&](const Error& e) { return unreadable(where, e.detail); };
  if (auto s = validate_farm_name(name); !s) return fail(s.error());
  const RawValues raw = raw_values(node);
  const ValueReader values(raw, [&] { return where; });
  if (auto s = values.only_known({kServers, kHealthCheck, kHealthCheckInterval, kHealthCheckStatus, kLoadBalance,
                                  kArrSsl, kFailures, kFailureWindow});
      !s) {
    return s.error();
  }
  WebFarm farm;
  farm.name = name;
  auto servers = values.multi_string(kServers);
  if (!servers) return servers.error();
  if (!*servers || (*servers)->empty()) return unreadable(where, "the Servers value is missing or empty");
  for (const std::string& text : **servers) {
    auto server = FarmServer::parse(text);
    if (!server) return fail(server.error());
    farm.servers.push_back(std::move(*server));
  }
  auto health = values.string(kHealthCheck);
  if (!health) return health.error();
  if (*health) {
    if (auto s = validate_health_check(**health); !s) return fail(s.error());
  }
  farm.health_check = *health;
  auto interval = values.dword(kHealthCheckInterval, 5);
  if (!interval) return interval.error();
  if (*interval == 0 || *interval > 3600) return unreadable(where + "\\" + kHealthCheckInterval, "must be 1 to 3600");
  farm.health_interval = *interval;
  auto status = values.string(kHealthCheckStatus);
  if (!status) return status.error();
  if (*status) {
    auto parsed = HealthStatus::parse(**status);
    if (!parsed) return fail(parsed.error());
    farm.health_status = *parsed;
  }
  auto balance = values.string(kLoadBalance);
  if (!balance) return balance.error();
  if (*balance) {
    auto parsed = parse_load_balance(**balance);
    if (!parsed) return fail(parsed.error());
    farm.load_balance = *parsed;
  }
  auto arr_ssl = values.dword(kArrSsl, 1);
  if (!arr_ssl) return arr_ssl.error();
  if (*arr_ssl > 1) return unreadable(where + "\\" + kArrSsl, "must be 0 or 1");
  farm.arr_ssl = *arr_ssl == 1;
  auto failures = values.dword(kFailures, 5);
  if (!failures) return failures.error();
  if (*failures == 0 || *failures > 1000) return unreadable(where + "\\" + kFailures, "must be 1 to 1000");
  farm.failures = *failures;
  auto window = values.dword(kFailureWindow, 30);
  if (!window) return window.error();
  if (*window == 0 || *window > 3600) return unreadable(where + "\\" + kFailureWindow, "must be 1 to 3600");
  farm.failure_window = *window;
  return farm;
}

}  // namespace

Result<FarmSet> decode_farms(const json& document) {
  FarmSet farms;
  auto farm_keys = subkeys(document, kWebFarmsPath.data(), kWebFarmsDisplay);
  if (!farm_keys) return farm_keys.error();
  if (*farm_keys != nullptr) {
    for (const auto& [name, node] : (*farm_keys)->items()) {
      auto farm = decode_farm(name, node);
      if (!farm) return farm.error();
      if (auto s = farms.add_farm(std::move(*farm)); !s) {
        return unreadable(std::string(kWebFarmsDisplay) + "\\" + name, "a second farm of this name (case aside)");
      }
    }
  }
  auto route_keys = subkeys(document, kRoutesPath.data(), kRoutesDisplay);
  if (!route_keys) return route_keys.error();
  if (*route_keys != nullptr) {
    for (const auto& [host, node] : (*route_keys)->items()) {
      const std::string where = std::string(kRoutesDisplay) + "\\" + host;
      const RawValues raw = raw_values(node);
      const ValueReader values(raw, [&] { return where; });
      if (auto s = values.only_known({kWebFarm}); !s) return s.error();
      auto pattern = parse_route_host(host);
      if (!pattern) return unreadable(where, pattern.error().detail);
      if (*pattern != host) return unreadable(where, "the subkey name is not in lower case");
      auto farm = values.string(kWebFarm);
      if (!farm) return farm.error();
      if (!*farm) return unreadable(where, "the WebFarm value is missing");
      if (auto s = farms.add_route(*pattern, **farm); !s) return unreadable(where, s.error().detail);
    }
  }
  return farms;
}

void encode_farms(const FarmSet& farms, json& document) {
  // Absent until the first farm: a registry without farms keeps its old shape.
  if (farms.farms().empty() && find_key(document, kWebFarmsPath.data()) == nullptr) return;
  json& farm_keys = make_key(document, kWebFarmsPath.data());
  farm_keys = json::object();
  for (const auto& [key, farm] : farms.farms()) {
    std::vector<std::string> servers;
    for (const FarmServer& s : farm.servers) servers.push_back(s.str());
    json values = {{kServers, reg_multi_sz(servers)},
                   {kLoadBalance, reg_sz(std::string(load_balance_name(farm.load_balance)))},
                   {kArrSsl, reg_dword(farm.arr_ssl ? 1 : 0)}};
    if (farm.health_check) values[kHealthCheck] = reg_sz(*farm.health_check);
    values[kHealthCheckInterval] = reg_dword(farm.health_interval);
    values[kHealthCheckStatus] = reg_sz(farm.health_status.str());
    values[kFailures] = reg_dword(farm.failures);
    values[kFailureWindow] = reg_dword(farm.failure_window);
    farm_keys[farm.name] = std::move(values);
  }
  json& route_keys = make_key(document, kRoutesPath.data());
  route_keys = json::object();
  for (const auto& [host, farm_key] : farms.routes()) {
    route_keys[host] = {{kWebFarm, reg_sz(farms.find_farm(farm_key)->name)}};
  }
}

}  // namespace sslbind::store
