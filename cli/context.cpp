#include "cli/context.hpp"

#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/exit_codes.hpp"
#include "cli/json_output.hpp"
#include "cli/messages.hpp"

namespace sslbind::cli {

int fail(const Context& ctx, const Error& error, const CommandInfo& command) {
  const ErrorReport r = describe_error(error, command.verb, ctx.words, command.object);
  if (ctx.json) {
    *ctx.out << dump_json(error_json(command.name, r)) << '\n';
    return r.exit_code;
  }
  // netsh prints its own lines (and the usage after missing parameters) on standard output, where scripts that
  // drive it look for "Error: 183"; sslbind's one explaining line goes to standard error.
  for (const auto& l : r.netsh) *ctx.out << l << '\n';
  if (error.code == ErrorCode::MissingParameters && !command.usage.empty()) *ctx.out << '\n' << command.usage;
  ctx.out->flush();
  *ctx.err << (r.netsh.empty() ? "sslbind: " : "") << r.detail << '\n';
  return r.exit_code;
}

int succeed(const Context& ctx, const nlohmann::ordered_json& json, const std::string& text) {
  if (ctx.json)
    *ctx.out << dump_json(json) << '\n';
  else
    *ctx.out << text << std::flush;
  return kExitOk;
}

}  // namespace sslbind::cli
