#include "cli/context.hpp"

#include <iostream>

#include "cli/exit_codes.hpp"
#include "cli/json_output.hpp"
#include "cli/messages.hpp"

namespace sslbind::cli {

int fail(const Context& ctx, const Error& error, const CommandInfo& command) {
  const ErrorReport r = describe_error(error, command.verb, ctx.words, command.object);
  if (ctx.json) {
    std::cout << error_json(command.name, r).dump(2) << '\n';
    return r.exit_code;
  }
  for (const auto& l : r.netsh) std::cerr << l << '\n';
  std::cerr << (r.netsh.empty() ? "sslbind: " : "") << r.detail << '\n';
  if (error.code == ErrorCode::MissingParameters && !command.usage.empty()) std::cerr << '\n' << command.usage;
  return r.exit_code;
}

int succeed(const Context& ctx, const nlohmann::ordered_json& json, const std::string& text) {
  if (ctx.json) std::cout << json.dump(2) << '\n';
  else std::cout << text << std::flush;
  return kExitOk;
}

}  // namespace sslbind::cli
