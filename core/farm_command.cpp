#include "core/farm_command.hpp"

#include <array>

#include "core/key_values.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::array<std::string_view, 9> kFarmSettings{"name",           "server",       "healthcheck",
                                                        "healthinterval", "healthstatus", "loadbalance",
                                                        "arrssl",         "failures",     "failurewindow"};
constexpr std::array<std::string_view, 1> kNameOnly{"name"};
constexpr std::array<std::string_view, 2> kRouteAdd{"host", "webfarm"};
constexpr std::array<std::string_view, 1> kHostOnly{"host"};

Error missing(std::string what) { return Error(ErrorCode::MissingParameters, std::move(what)); }

std::string command_name(Verb verb, std::string_view object) {
  return std::string(verb_name(verb)) + " " + std::string(object);
}

Result<bool> parse_switch(std::string_view name, std::string_view value) {
  if (text::iequals(value, "enable")) return true;
  if (text::iequals(value, "disable")) return false;
  return invalid(std::string(name) + " " + text::quote(value) + " is neither enable nor disable");
}

}  // namespace

WebFarm WebFarmCommand::apply(const WebFarm& current) const {
  WebFarm farm = current;
  if (name) farm.name = *name;
  if (servers) farm.servers = *servers;
  if (health_check) farm.health_check = *health_check;
  if (health_interval) farm.health_interval = *health_interval;
  if (health_status) farm.health_status = *health_status;
  if (load_balance) farm.load_balance = *load_balance;
  if (arr_ssl) farm.arr_ssl = *arr_ssl;
  if (failures) farm.failures = *failures;
  if (failure_window) farm.failure_window = *failure_window;
  return farm;
}

std::span<const std::string_view> webfarm_parameters(Verb verb) {
  if (verb == Verb::Add || verb == Verb::Update) return kFarmSettings;
  return kNameOnly;
}

Result<WebFarmCommand> parse_webfarm_arguments(Verb verb, std::span<const std::string> arguments) {
  const std::string command = command_name(verb, "webfarm");
  auto values = KeyValues::parse(arguments, webfarm_parameters(verb), command, "name=www");
  if (!values) return values.error();
  WebFarmCommand cmd;
  cmd.verb = verb;
  if (!values->has("name") && verb != Verb::Show) return missing(command + " needs name=<farm>");
  if (verb == Verb::Add && !values->has("server")) {
    return missing(command + " needs server=HOST:PORT[,HOST:PORT...]: the web workers of the farm");
  }
  if (auto name = values->get("name")) {
    if (auto s = validate_farm_name(*name); !s) return s.error();
    cmd.name = *name;
  }
  if (auto servers = values->get("server")) {
    auto parsed = parse_servers(*servers);
    if (!parsed) return parsed.error();
    cmd.servers = std::move(*parsed);
  }
  if (auto path = values->get("healthcheck")) {
    if (text::iequals(*path, "none")) {
      cmd.health_check = std::optional<std::string>();
    } else {
      if (auto s = validate_health_check(*path); !s) return s.error();
      cmd.health_check = std::optional<std::string>(*path);
    }
  }
  if (auto interval = values->get("healthinterval")) {
    auto parsed = parse_health_interval(*interval);
    if (!parsed) return parsed.error();
    cmd.health_interval = *parsed;
  }
  if (auto status = values->get("healthstatus")) {
    auto parsed = HealthStatus::parse(*status);
    if (!parsed) return parsed.error();
    cmd.health_status = *parsed;
  }
  if (auto balance = values->get("loadbalance")) {
    auto parsed = parse_load_balance(*balance);
    if (!parsed) return parsed.error();
    cmd.load_balance = *parsed;
  }
  if (auto arr_ssl = values->get("arrssl")) {
    auto parsed = parse_switch("arrssl", *arr_ssl);
    if (!parsed) return parsed.error();
    cmd.arr_ssl = *parsed;
  }
  if (auto failures = values->get("failures")) {
    auto parsed = parse_failures(*failures);
    if (!parsed) return parsed.error();
    cmd.failures = *parsed;
  }
  if (auto window = values->get("failurewindow")) {
    auto parsed = parse_failure_window(*window);
    if (!parsed) return parsed.error();
    cmd.failure_window = *parsed;
  }
  if (verb == Verb::Update && !cmd.servers && !cmd.health_check && !cmd.health_interval && !cmd.health_status &&
      !cmd.load_balance && !cmd.arr_ssl && !cmd.failures && !cmd.failure_window) {
    return missing(command +
                   " needs something to change: server=, healthcheck=, healthinterval=, healthstatus=, loadbalance=, "
                   "arrssl=, failures= or failurewindow=");
  }
  return cmd;
}

std::span<const std::string_view> route_parameters(Verb verb) {
  if (verb == Verb::Add) return kRouteAdd;
  return kHostOnly;
}

Result<RouteCommand> parse_route_arguments(Verb verb, std::span<const std::string> arguments) {
  const std::string command = command_name(verb, "route");
  if (verb == Verb::Update) {
    return invalid("routes are not updated: delete the route, then add it with its new webfarm=");
  }
  auto values = KeyValues::parse(arguments, route_parameters(verb), command, "host=www.contoso.com");
  if (!values) return values.error();
  RouteCommand cmd;
  cmd.verb = verb;
  if (!values->has("host") && verb != Verb::Show) return missing(command + " needs host=<name>|*.<domain>|*");
  if (verb == Verb::Add && !values->has("webfarm")) return missing(command + " needs webfarm=<farm>");
  if (auto host = values->get("host")) {
    auto parsed = parse_route_host(*host);
    if (!parsed) return parsed.error();
    cmd.host = std::move(*parsed);
  }
  if (auto farm = values->get("webfarm")) {
    if (auto s = validate_farm_name(*farm); !s) {
      return invalid("webfarm=" + *farm + " is not a farm name: 1-64 letters, digits, '.', '-' or '_'");
    }
    cmd.farm = *farm;
  }
  return cmd;
}

}  // namespace sslbind
