// add|update|delete|show webfarm and add|delete|show route: where serve sends the requests it decrypts.
#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/show_text.hpp"
#include "cli/usage.hpp"
#include "core/farm_command.hpp"
#include "store/registry.hpp"

namespace sslbind::cli {
namespace {

using json = nlohmann::ordered_json;

json farm_json(const WebFarm& farm) {
  json servers = json::array();
  for (const FarmServer& s : farm.servers) servers.push_back(s.str());
  return {{"name", farm.name},
          {"servers", servers},
          {"healthcheck", farm.health_check ? json(*farm.health_check) : json(nullptr)},
          {"healthinterval", farm.health_interval},
          {"healthstatus", farm.health_status.str()},
          {"loadbalance", load_balance_name(farm.load_balance)},
          {"arrssl", farm.arr_ssl},
          {"failures", farm.failures},
          {"failurewindow", farm.failure_window}};
}

json route_json(const std::string& host, const FarmSet& farms, const std::string& farm_key) {
  return {{"host", host}, {"webfarm", farms.find_farm(farm_key)->name}};
}

std::string farm_text(const WebFarm& farm) {
  std::string servers;
  for (const FarmServer& s : farm.servers) servers += (servers.empty() ? "" : ", ") + s.str();
  std::string out;
  field_line(out, "Web Farm", farm.name);
  field_line(out, "Servers", servers);
  field_line(out, "Load Balance", load_balance_name(farm.load_balance));
  field_line(out, "Health Check", farm.health_check.value_or("(none)"));
  if (farm.health_check) {
    field_line(out, "Health Check Interval", std::to_string(farm.health_interval) + " s");
    field_line(out, "Health Check Status", farm.health_status.str());
  }
  field_line(out, "X-ARR-SSL", farm.arr_ssl ? "Enabled" : "Disabled");
  field_line(out, "Failures To Go Down",
             std::to_string(farm.failures) + " in " + std::to_string(farm.failure_window) + " s");
  return out + "\n";
}

std::string route_text(const std::string& host, const FarmSet& farms, const std::string& farm_key) {
  std::string out;
  field_line(out, "Host", host);
  field_line(out, "Web Farm", farms.find_farm(farm_key)->name);
  return out + "\n";
}

std::string message(std::string_view object, Verb verb) {
  const std::string done = verb == Verb::Add ? "added" : verb == Verb::Update ? "updated" : "deleted";
  return std::string(object) + " successfully " + done;
}

int run_show_farms(const Context& ctx, const CommandInfo& info, const WebFarmCommand& cmd) {
  auto state = ctx.registry->load();
  if (!state) return fail(ctx, state.error(), info);
  const FarmSet& farms = state->farms;
  std::vector<const WebFarm*> shown;
  if (cmd.name) {
    const WebFarm* farm = farms.find_farm(*cmd.name);
    if (farm == nullptr) return fail(ctx, Error(ErrorCode::NotFound, "webfarm " + *cmd.name + " does not exist"), info);
    shown.push_back(farm);
  } else {
    for (const auto& [key, farm] : farms.farms()) shown.push_back(&farm);
  }
  json out = ok_json(info.name);
  out["webfarms"] = json::array();
  std::string text = "\nWeb farms:\n----------\n\n";
  for (const WebFarm* farm : shown) {
    out["webfarms"].push_back(farm_json(*farm));
    text += farm_text(*farm);
  }
  return succeed(ctx, out, text);
}

int run_show_routes(const Context& ctx, const CommandInfo& info, const RouteCommand& cmd) {
  auto state = ctx.registry->load();
  if (!state) return fail(ctx, state.error(), info);
  const FarmSet& farms = state->farms;
  json out = ok_json(info.name);
  out["routes"] = json::array();
  std::string text = "\nRoutes:\n-------\n\n";
  for (const auto& [host, farm_key] : farms.routes()) {
    if (cmd.host && host != *cmd.host) continue;
    out["routes"].push_back(route_json(host, farms, farm_key));
    text += route_text(host, farms, farm_key);
  }
  if (cmd.host && out["routes"].empty()) {
    return fail(ctx, Error(ErrorCode::NotFound, "route " + *cmd.host + " does not exist"), info);
  }
  return succeed(ctx, out, text);
}

}  // namespace

int run_webfarm(const Context& ctx, Verb verb, std::span<const std::string> arguments) {
  const CommandInfo info{std::string(verb_name(verb)) + " webfarm", verb, "Web Farm", webfarm_usage()};
  auto cmd = parse_webfarm_arguments(verb, arguments);
  if (!cmd) return fail(ctx, cmd.error(), info);
  if (verb == Verb::Show) return run_show_farms(ctx, info, *cmd);
  std::optional<WebFarm> result;
  const Status status = ctx.registry->transact([&](RegistryState& state) -> Status {
    FarmSet& farms = state.farms;
    if (verb == Verb::Delete) {
      if (const WebFarm* farm = farms.find_farm(*cmd->name)) result = *farm;
      return farms.remove_farm(*cmd->name);
    }
    const WebFarm* current = farms.find_farm(*cmd->name);
    const WebFarm farm = cmd->apply(current != nullptr && verb == Verb::Update ? *current : WebFarm{});
    Status s = verb == Verb::Add ? farms.add_farm(farm) : farms.update_farm(farm);
    if (s) result = *farms.find_farm(*cmd->name);
    return s;
  });
  if (!status) return fail(ctx, status.error(), info);
  json out = ok_json(info.name);
  out["message"] = message("Web farm", verb);
  out["webfarm"] = farm_json(*result);
  return succeed(ctx, out, message("Web farm", verb) + "\n");
}

int run_route(const Context& ctx, Verb verb, std::span<const std::string> arguments) {
  const CommandInfo info{std::string(verb_name(verb)) + " route", verb, "Route", route_usage()};
  auto cmd = parse_route_arguments(verb, arguments);
  if (!cmd) return fail(ctx, cmd.error(), info);
  if (verb == Verb::Show) return run_show_routes(ctx, info, *cmd);
  json route;
  const Status status = ctx.registry->transact([&](RegistryState& state) -> Status {
    FarmSet& farms = state.farms;
    if (verb == Verb::Delete) {
      if (const std::string* farm = farms.find_route(*cmd->host)) route = route_json(*cmd->host, farms, *farm);
      return farms.remove_route(*cmd->host);
    }
    Status s = farms.add_route(*cmd->host, *cmd->farm);
    if (s) route = route_json(*cmd->host, farms, *farms.find_route(*cmd->host));
    return s;
  });
  if (!status) return fail(ctx, status.error(), info);
  json out = ok_json(info.name);
  out["message"] = message("Route", verb);
  out["route"] = route;
  return succeed(ctx, out, message("Route", verb) + "\n");
}

}  // namespace sslbind::cli
