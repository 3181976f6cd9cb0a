// show farm: the front ends that follow a registry on etcd, as each last published itself: the revision it applied,
// how far that is behind the registry's last commit, and when it was last heard of.
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "store/registry.hpp"

namespace sslbind::cli {
namespace {

std::string farm_text(const nlohmann::json& farm) {
  std::string text = "Front ends of " + farm["location"].get<std::string>() + " (registry revision " +
                     farm["revision"].dump() + "):\n";
  if (farm["frontends"].empty()) return text + "\n    (none: no sslbind serve follows this farm)\n";
  for (const auto& f : farm["frontends"]) {
    const std::int64_t lag = f["lag"].get<std::int64_t>();
    text += "\n    Front end           : " + f["id"].get<std::string>() + "\n";
    text += "    Applied revision    : " + f["appliedRevision"].dump() +
            (lag == 0 ? " (up to date)" : " (" + std::to_string(lag) + " behind)") + "\n";
    text += "    Last contact        : " + f["lastContactSecondsAgo"].dump() + " s ago" +
            (f["connected"].get<bool>() ? "" : ", cut off from etcd") +
            (f["servingLocalCopy"].get<bool>() ? ", serving its local copy" : "") + "\n";
    text += "    Bindings            : " + f["bindings"].dump() + "\n";
  }
  return text;
}

}  // namespace

std::string show_farm_usage() {
  return "Usage: sslbind --store etcd://HOST:PORT/FARM [--json] show farm\n"
         "\n"
         "Lists the front ends (sslbind serve) that follow the farm's registry on etcd: the revision each applied,\n"
         "how many revisions it is behind the registry's last commit, and when it last published itself (every\n"
         "2 s, under a lease of 15 s: a front end that stopped is gone at once, one that died within 15 s).\n";
}

int run_show_farm(const Context& ctx, Verb verb, std::span<const std::string> arguments) {
  const CommandInfo info{std::string(verb_name(verb)) + " farm", verb, "Farm", show_farm_usage()};
  if (verb != Verb::Show) {
    return fail(ctx,
                invalid(std::string(verb_name(verb)) +
                        " farm is not a command: a front end joins a farm when serve runs with --store etcd://..."),
                info);
  }
  if (!arguments.empty()) return fail(ctx, invalid("show farm takes no parameters: " + arguments.front()), info);
  auto farm = ctx.registry->farm_members();
  if (!farm) return fail(ctx, farm.error(), info);
  nlohmann::ordered_json out = ok_json(info.name);
  out["farm"] = nlohmann::ordered_json::parse(farm->dump());
  return succeed(ctx, out, farm_text(*farm));
}

}  // namespace sslbind::cli
