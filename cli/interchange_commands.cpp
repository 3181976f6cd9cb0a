// export reg, import netsh and import reg: moving bindings to and from Windows.
#include <filesystem>
#include <fstream>
#include <istream>
#include <iterator>
#include <ostream>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/usage.hpp"
#include "cli/windows_json.hpp"
#include "core/netsh_import.hpp"
#include "core/reg_export.hpp"
#include "core/reg_file.hpp"
#include "core/text.hpp"
#include "core/tool_commands.hpp"
#include "store/atomic_file.hpp"
#include "store/reg_import.hpp"
#include "store/registry.hpp"
#include "store/registry_file.hpp"
#include "store/sealed_secret.hpp"

namespace sslbind::cli {

namespace {

// export farmkey: the sealing key, for the farm's other front ends; written 0600, never to standard output's log.
int export_farm_key(const Context& ctx, const std::string& file) {
  const CommandInfo info{"export farmkey", std::nullopt, "Farm Key", interchange_usage()};
  if (file == "-") return fail(ctx, invalid("export farmkey writes a file (mode 0600), not standard output"), info);
  // Under the registry lock, as every write under the root: exporting makes the key when there is none yet.
  auto key = ctx.registry_file->locked<std::string>([&] { return store::SecretSealer(ctx.root).export_key(); });
  if (!key) return fail(ctx, key.error(), info);
  if (auto s = store::replace_file(file, *key, 0600); !s) return fail(ctx, s.error(), info);
  nlohmann::ordered_json out = ok_json(info.name);
  out["file"] = file;
  return succeed(ctx, out,
                 "Exported the farm key to " + file + ": import it on every other front end of the farm with\n" +
                     "    sslbind import farmkey file=" + file + "\nand keep it as secret as the key itself.\n");
}

int import_farm_key(const Context& ctx, const std::string& file) {
  const CommandInfo info{"import farmkey", std::nullopt, "Farm Key", interchange_usage()};
  auto read =
      file == "-"
          ? Result<store::FileText>(store::FileText{true, std::string(std::istreambuf_iterator<char>(*ctx.in), {})})
          : store::read_whole_file(file, 4096);
  if (!read) return fail(ctx, read.error(), info);
  if (!read->exists) return fail(ctx, invalid("file " + file + ": the file cannot be read"), info);
  const store::SecretSealer sealer(ctx.root);
  if (auto s = ctx.registry_file->locked([&] { return sealer.import_key(read->text); }); !s) {
    return fail(ctx, s.error(), info);
  }
  nlohmann::ordered_json out = ok_json(info.name);
  out["keyFile"] = sealer.key_file().string();
  return succeed(ctx, out, "Imported the farm key into " + sealer.key_file().string() + "\n");
}

}  // namespace

int run_export(const Context& ctx, std::span<const std::string> arguments) {
  const CommandInfo info{"export reg", std::nullopt, "SSL Certificate", interchange_usage()};
  auto cmd = parse_export_arguments(arguments);
  if (!cmd) return fail(ctx, cmd.error(), info);
  if (cmd->format == "farmkey") return export_farm_key(ctx, cmd->file);
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

namespace {

// A .reg file whole (bounded as batch files are): exports of 100k bindings are about 100 MB of UTF-16.
int import_reg(const Context& ctx, const CommandInfo& info, const std::string& file) {
  store::RegImport imported;
  auto lines = [&]() -> Result<std::vector<BatchLine>> {
    std::string bytes;
    if (file == "-") {
      bytes.assign(std::istreambuf_iterator<char>(*ctx.in), std::istreambuf_iterator<char>());
    } else {
      auto read = store::read_whole_file(file, store::kMaxBatchFileBytes);
      if (!read) return read.error();
      if (!read->exists) return invalid("file " + file + ": the file cannot be read");
      bytes = std::move(read->text);
    }
    ListingDecoder decoder;
    std::vector<std::string> text;
    if (auto s = decoder.feed(bytes, text); !s) return s.error();
    if (auto s = decoder.finish(text); !s) return s.error();
    auto keys = read_reg_file(text);
    if (!keys) return keys.error();
    auto read = store::read_reg_import(*keys);
    if (!read) return read.error();
    imported = std::move(*read);
    return std::move(imported.lines);
  }();
  std::optional<ImportedProvider> provider;
  if (const auto& p = imported.ccs_provider) {
    provider = ImportedProvider{*p, imported.ccs_provider_line, ""};
    std::error_code ec;
    // Windows names a share (\\server\certs); here the provider reads a folder, where the share is mounted.
    if (p->enabled && !std::filesystem::is_directory(p->location, ec)) {
      provider->note = "its location " + text::quote(p->location) +
                       " is not a folder on this machine: mount the share and run sslbind update ccs location=<folder>";
    }
  }
  return apply_lines(ctx, info, std::move(lines), imported.skipped, provider);
}

}  // namespace

int run_import(const Context& ctx, std::span<const std::string> arguments) {
  auto cmd = parse_import_arguments(arguments);
  const CommandInfo info{cmd && cmd->format == "reg" ? "import reg" : "import netsh", std::nullopt, "SSL Certificate",
                         interchange_usage()};
  if (!cmd) return fail(ctx, cmd.error(), info);
  if (cmd->format == "farmkey") return import_farm_key(ctx, cmd->file);
  if (cmd->format == "reg") return import_reg(ctx, info, cmd->file);
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
