// export reg and import netsh: moving bindings to and from Windows.
#include <fstream>
#include <istream>
#include <ostream>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/usage.hpp"
#include "cli/windows_json.hpp"
#include "core/netsh_import.hpp"
#include "core/reg_export.hpp"
#include "core/tool_commands.hpp"
#include "store/atomic_file.hpp"
#include "store/registry.hpp"

namespace sslbind::cli {

int run_export(const Context& ctx, std::span<const std::string> arguments) {
  const CommandInfo info{"export reg", std::nullopt, "SSL Certificate", interchange_usage()};
  auto cmd = parse_export_arguments(arguments);
  if (!cmd) return fail(ctx, cmd.error(), info);
  auto state = ctx.registry->load();
  if (!state) return fail(ctx, state.error(), info);
  const std::string bytes = reg_file(*state);
  if (cmd->file == "-") {
    *ctx.out << bytes << std::flush;
    return 0;
  }
  if (auto s = store::replace_file(cmd->file, bytes, 0644); !s) return fail(ctx, s.error(), info);
  nlohmann::ordered_json out = ok_json(info.name);
  out["file"] = cmd->file;
  out["bindings"] = state->bindings.size();
  return succeed(ctx, out,
                 "Exported " + std::to_string(state->bindings.size()) + " bindings to " + cmd->file +
                     " (Windows Registry Editor Version 5.00)\n");
}

int run_import(const Context& ctx, std::span<const std::string> arguments) {
  const CommandInfo info{"import netsh", std::nullopt, "SSL Certificate", interchange_usage()};
  auto cmd = parse_import_arguments(arguments);
  if (!cmd) return fail(ctx, cmd.error(), info);
  // Read a piece at a time: a listing of 100k bindings is over 100 MB of text.
  auto lines = [&]() -> Result<std::vector<BatchLine>> {
    std::ifstream file;
    if (cmd->file != "-") {
      file.open(cmd->file, std::ios::binary);
      if (!file) return invalid("file " + cmd->file + ": the file cannot be read");
    }
    std::istream& in = cmd->file == "-" ? *ctx.in : file;
    NetshListingFile listing;
    std::string chunk(64 * 1024, '\0');
    while (in) {
      in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      const auto got = static_cast<std::size_t>(in.gcount());
      if (auto s = listing.feed(std::string_view(chunk).substr(0, got)); !s) return s.error();
    }
    if (in.bad()) return invalid("file " + cmd->file + ": reading failed");
    auto read = listing.finish();
    if (read && listing.json_document()) return bindings_from_windows_json(*listing.json_document());
    return read;
  }();
  return apply_lines(ctx, info, std::move(lines));
}

}  // namespace sslbind::cli
