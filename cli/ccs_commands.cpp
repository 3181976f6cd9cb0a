// add|update|delete|show ccs: the Central Certificate Store provider.
#include <ctime>

#include "cli/ccs_output.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json_output.hpp"
#include "cli/usage.hpp"
#include "core/ccs_command.hpp"
#include "core/text.hpp"
#include "store/atomic_file.hpp"
#include "store/ccs_provider.hpp"
#include "store/registry.hpp"
#include "store/registry_file.hpp"
#include "store/sealed_secret.hpp"

namespace sslbind::cli {
namespace {

namespace fs = std::filesystem;

Result<std::string> folder_of(const std::string& location) {
  std::error_code ec;
  const fs::path folder = fs::absolute(location, ec).lexically_normal();
  if (ec || !fs::is_directory(folder, ec)) {
    return invalid("location " + text::quote(location) +
                   " is not a folder; create it, or give the folder that "
                   "holds the <hostname>.pfx files");
  }
  std::string text = folder.string();
  if (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

// Applies the settings the command gives to `config`; the password is sealed before the registry lock is taken.
Result<CcsProviderConfig> configured(const Context& ctx, const CcsCommand& cmd, CcsProviderConfig config) {
  if (cmd.location) {
    auto folder = folder_of(*cmd.location);
    if (!folder) return folder.error();
    config.location = *folder;
  }
  std::optional<std::string> password = cmd.private_key_password;
  if (cmd.password_file) {
    auto p = store::read_password_file(*cmd.password_file);
    if (!p) return p.error();
    password = *p;
  }
  if (password) {
    if (password->empty()) {
      config.sealed_private_key_password.reset();  // privatekeypassword= clears it: the PFX files have none
    } else {
      // Under the registry lock: sealing may create the sealing key, a write under the root (see RegistryFile).
      auto sealed =
          ctx.registry_file->locked<std::string>([&] { return store::SecretSealer(ctx.root).seal(*password); });
      if (!sealed) return sealed.error();
      config.sealed_private_key_password = *sealed;
    }
  }
  if (cmd.user_name) config.user_name = *cmd.user_name;
  if (cmd.polling_interval) config.polling_interval = *cmd.polling_interval;
  config.enabled = true;
  return config;
}

Error not_configured() {
  return Error(ErrorCode::NotFound,
               "no Central Certificate Store provider is enabled; add one with: sslbind add ccs "
               "location=<folder>");
}

int run_show(const Context& ctx, const CommandInfo& info) {
  auto state = ctx.registry->load();
  if (!state) return fail(ctx, state.error(), info);
  if (!state->ccs_provider) return fail(ctx, not_configured(), info);
  const CcsProviderConfig& config = *state->ccs_provider;
  nlohmann::ordered_json out = ok_json(info.name);
  out["provider"] = ccs_provider_json(config);
  std::string text = ccs_provider_text(config);
  if (config.enabled) {
    auto provider = store::CcsProvider::open(config, ctx.root);
    if (!provider) {
      if (!ctx.json) succeed(ctx, {}, text);
      return fail(ctx, provider.error(), info);
    }
    const std::int64_t now = ctx.now;
    const auto entries = provider->list();
    out["certificates"] = nlohmann::ordered_json::array();
    for (const auto& e : entries) out["certificates"].push_back(ccs_entry_json(e, now));
    out["ignored"] = provider->ignored_files();
    text += ccs_entries_text(entries, provider->ignored_files(), now);
  }
  return succeed(ctx, out, text);
}

}  // namespace

int run_ccs(const Context& ctx, Verb verb, std::span<const std::string> arguments) {
  const CommandInfo info{std::string(verb_name(verb)) + " ccs", verb, "Central Certificate Store", ccs_usage()};
  auto parsed = parse_ccs_arguments(verb, arguments);
  if (!parsed) return fail(ctx, parsed.error(), info);
  const CcsCommand& cmd = *parsed;
  if (verb == Verb::Show) return run_show(ctx, info);

  // Settings are checked (and the password sealed) against the state as read now; the transaction then refuses
  // if another command changed whether a provider is enabled in between.
  std::optional<CcsProviderConfig> wanted;
  if (verb != Verb::Delete) {
    auto state = ctx.registry->load();
    if (!state) return fail(ctx, state.error(), info);
    auto config = configured(ctx, cmd, state->ccs_provider.value_or(CcsProviderConfig{}));
    if (!config) return fail(ctx, config.error(), info);
    wanted = *config;
  }
  std::optional<CcsProviderConfig> result;
  const Status status = ctx.registry->transact([&](RegistryState& state) -> Status {
    const bool enabled = state.ccs_provider && state.ccs_provider->enabled;
    if (verb == Verb::Add && enabled) {
      return Error(ErrorCode::AlreadyExists, "a Central Certificate Store provider is already enabled (location " +
                                                 state.ccs_provider->location +
                                                 "); change it with: sslbind update ccs");
    }
    if (verb != Verb::Add && !enabled) return not_configured();
    if (verb == Verb::Delete) {
      // As IIS does when the provider is disabled: the credentials go, the location stays for a later add.
      state.ccs_provider->enabled = false;
      state.ccs_provider->user_name.reset();
      state.ccs_provider->sealed_private_key_password.reset();
    } else {
      state.ccs_provider = wanted;
    }
    result = state.ccs_provider;
    return Ok{};
  });
  if (!status) return fail(ctx, status.error(), info);
  const std::string message =
      std::string("Central Certificate Store provider successfully ") + (verb == Verb::Add      ? "added"
                                                                         : verb == Verb::Update ? "updated"
                                                                                                : "deleted");
  nlohmann::ordered_json out = ok_json(info.name);
  out["message"] = message;
  out["provider"] = ccs_provider_json(*result);
  return succeed(ctx, out, message + "\n");
}

}  // namespace sslbind::cli
