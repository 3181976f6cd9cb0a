// add|update|delete|show sslcert.
#include <optional>
#include <ostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json_output.hpp"
#include "cli/messages.hpp"
#include "cli/show_text.hpp"
#include "cli/usage.hpp"
#include "cli/windows_json.hpp"
#include "core/cert_command.hpp"
#include "core/sslcert_command.hpp"
#include "store/cert_store.hpp"
#include "store/registry.hpp"

namespace sslbind::cli {
namespace {

CommandInfo info(Verb verb) {
  return {std::string(verb_name(verb)) + " sslcert", verb, "SSL Certificate", usage(verb)};
}
CommandInfo info(const SslCertCommand& cmd) { return info(cmd.verb); }

int run_show(const Context& ctx, const SslCertCommand& cmd) {
  auto state = ctx.registry->load();
  if (!state) return fail(ctx, state.error(), info(cmd));
  std::vector<const Binding*> shown;
  if (cmd.key) {
    if (const Binding* b = state->bindings.find(*cmd.key)) shown.push_back(b);
  } else {
    for (const auto& [key, b] : state->bindings) shown.push_back(&b);
  }
  const bool missing = cmd.key && shown.empty();
  const Error not_found(ErrorCode::NotFound, cmd.key ? cmd.key->as_parameter() + " has no binding" : "");
  // Bindings are printed one at a time: a registry of 100k bindings is never held as one text or JSON tree.
  if (cmd.json) {
    // json=enable: the document Windows prints, for scripts that read it; its status says what netsh's text says.
    StreamedJson out(*ctx.out, nlohmann::ordered_json::object(), "SslCertificateBindings");
    for (const Binding* b : shown) out.add(windows_binding_json(*b));
    out.finish(windows_status_json(missing ? 2 : 0));
    return missing ? kExitOperationFailed : kExitOk;
  }
  if (ctx.json) {
    if (missing) return fail(ctx, not_found, info(cmd));
    StreamedJson out(*ctx.out, ok_json(info(cmd).name), "bindings");
    for (const Binding* b : shown) out.add(binding_json(*b));
    out.finish();
    return kExitOk;
  }
  const ShowGeneration& generation = *find_show_generation(cmd.layout);
  *ctx.out << show_header(generation);
  for (const Binding* b : shown) *ctx.out << show_entry(*b, generation);
  *ctx.out << std::flush;
  // netsh prints the header, then the error text, for a key that is not there.
  if (missing) return fail(ctx, not_found, CommandInfo{"", cmd.verb, "SSL Certificate", ""});
  return kExitOk;
}

int run_change(const Context& ctx, const SslCertCommand& cmd) {
  const Binding requested{*cmd.key, cmd.settings};
  const store::CertStore stores(ctx.root);
  std::optional<Binding> result;  // the binding as stored (or, for delete, as it was)
  const Status status = ctx.registry->transact_binding(requested.key, [&](RegistryState& state) -> Status {
    BindingSet& set = state.bindings;
    if (cmd.verb == Verb::Delete) {
      if (const Binding* b = set.find(requested.key)) result = *b;
      return set.remove(requested.key);
    }
    // Checked under the registry lock, which delete cert takes too: the certificate cannot go in between.
    if (auto usable = stores.require_bindable(cmd.settings); !usable) return usable;
    Status s = cmd.verb == Verb::Add ? set.add(requested) : set.update(requested);
    if (s) result = *set.find(requested.key);
    return s;
  });
  if (!status) return fail(ctx, status.error(), info(cmd));
  nlohmann::ordered_json out = ok_json(info(cmd).name);
  out["message"] = success_message(cmd.verb);
  out["binding"] = binding_json(*result);
  return succeed(ctx, out, success_message(cmd.verb) + "\n");
}

int run_property_change(const Context& ctx, const SslCertCommand& cmd) {
  const CommandInfo about{"update sslpropertyex", Verb::Update, "SSL Certificate", sslpropertyex_usage()};
  std::optional<Binding> result;
  const Status status = ctx.registry->transact_binding(*cmd.key, [&](RegistryState& state) -> Status {
    auto changed = state.bindings.change_extended(*cmd.key, *cmd.property);
    if (!changed) return changed.error();
    result = *state.bindings.find(*cmd.key);
    return Ok{};
  });
  if (!status) return fail(ctx, status.error(), about);
  nlohmann::ordered_json out = ok_json(about.name);
  out["message"] = success_message(Verb::Update);
  out["binding"] = binding_json(*result);
  return succeed(ctx, out, success_message(Verb::Update) + "\n");
}

}  // namespace

int run_sslpropertyex(const Context& ctx, Verb verb, std::span<const std::string> arguments) {
  const CommandInfo about{std::string(verb_name(verb)) + " sslpropertyex", verb, "SSL Certificate",
                          sslpropertyex_usage()};
  if (verb != Verb::Update) {
    return fail(ctx,
                invalid("sslpropertyex is only updated: update sslpropertyex sets one extended property, "
                        "show sslcert lists them"),
                about);
  }
  auto cmd = parse_sslpropertyex_arguments(arguments);
  if (!cmd) return fail(ctx, cmd.error(), about);
  return run_property_change(ctx, *cmd);
}

int run_sslcert(const Context& ctx, Verb verb, std::span<const std::string> arguments) {
  auto cmd = parse_sslcert_arguments(verb, arguments);
  if (!cmd) return fail(ctx, cmd.error(), info(verb));
  if (verb != Verb::Show) return run_change(ctx, *cmd);
  return run_show(ctx, *cmd);
}

}  // namespace sslbind::cli
