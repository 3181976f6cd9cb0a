// dump: the bindings as a script of add commands, in the form of `netsh http dump`.
#include <ostream>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/usage.hpp"
#include "core/dump_script.hpp"
#include "core/key_values.hpp"
#include "store/registry.hpp"

namespace sslbind::cli {

int run_dump(const Context& ctx, std::span<const std::string> arguments) {
  const CommandInfo info{"dump", std::nullopt, "SSL Certificate", dump_usage()};
  if (auto kv = KeyValues::parse(arguments, {}, "dump", "(dump takes no parameters)"); !kv) {
    return fail(ctx, kv.error(), info);
  }
  auto state = ctx.registry->load();
  if (!state) return fail(ctx, state.error(), info);
  const std::string script = dump_script(*state);
  nlohmann::ordered_json out = ok_json(info.name);
  out["bindings"] = state->bindings.size();
  out["ipListen"] = state->ip_listen.size();
  out["script"] = script;
  return succeed(ctx, out, script);
}

}  // namespace sslbind::cli
