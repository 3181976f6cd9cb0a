// add|delete|show iplisten: the IP listen list, as netsh http has it.
#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/usage.hpp"
#include "core/ip_listen.hpp"
#include "store/registry.hpp"

namespace sslbind::cli {
namespace {

// netsh's listing: a header, then an address a line (nothing under it when the list is empty: every address).
std::string listing_text(const std::vector<IpAddress>& list) {
  std::string out = "\nIP addresses present in the IP listen list:\n-------------------------------------------\n\n";
  for (const IpAddress& a : list) out += "    " + a.str() + "\n";
  return out + "\n";
}

}  // namespace

int run_iplisten(const Context& ctx, Verb verb, std::span<const std::string> arguments) {
  const CommandInfo info{std::string(verb_name(verb)) + " iplisten", verb, "IP address", iplisten_usage(verb)};
  auto cmd = parse_iplisten_arguments(verb, arguments);
  if (!cmd) return fail(ctx, cmd.error(), info);
  if (verb == Verb::Show) {
    auto state = ctx.registry->load();
    if (!state) return fail(ctx, state.error(), info);
    nlohmann::ordered_json out = ok_json(info.name);
    out["addresses"] = nlohmann::ordered_json::array();
    for (const IpAddress& a : state->ip_listen) out["addresses"].push_back(a.str());
    return succeed(ctx, out, listing_text(state->ip_listen));
  }
  const Status status = ctx.registry->transact([&](RegistryState& state) {
    return verb == Verb::Add ? add_ip_listen(state.ip_listen, *cmd->address)
                             : delete_ip_listen(state.ip_listen, *cmd->address);
  });
  if (!status) return fail(ctx, status.error(), info);
  const std::string message = std::string("IP address successfully ") + (verb == Verb::Add ? "added" : "deleted");
  nlohmann::ordered_json out = ok_json(info.name);
  out["message"] = message;
  out["ipaddress"] = cmd->address->str();
  return succeed(ctx, out, message + "\n");
}

}  // namespace sslbind::cli
