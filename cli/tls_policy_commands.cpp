// set tlspolicy and show tlspolicy: the machine-wide TLS policy, as Schannel keeps one per machine.
#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/show_text.hpp"
#include "cli/usage.hpp"
#include "core/text.hpp"
#include "core/tls_policy.hpp"
#include "serve/tls_context.hpp"
#include "store/registry.hpp"

namespace sslbind::cli {
namespace {

std::string or_default(const std::string& list, std::string_view what) {
  return list.empty() ? "(" + std::string(what) + ")" : list;
}

std::string policy_text(const TlsPolicy& p, bool set) {
  std::string out = "\nTLS policy:\n-----------\n\n";
  field_line(out, "Profile", p.profile + (set ? "" : " (the default: no set tlspolicy yet)"));
  field_line(out, "Protocols", tls_versions_text(p.protocols));
  field_line(out, "Ciphers (TLSv1.2 and below)", or_default(p.ciphers, "none"));
  field_line(out, "Cipher suites (TLSv1.3)", or_default(p.ciphersuites, "none"));
  field_line(out, "Groups", or_default(p.groups, "OpenSSL's default"));
  field_line(out, "Signature algorithms", or_default(p.signature_algorithms, "OpenSSL's default"));
  field_line(out, "Cipher order", p.server_preference ? "server's" : "client's");
  field_line(out, "OCSP stapling for SNI", p.ocsp_stapling_for_sni ? "Enabled" : "Disabled (IP bindings only)");
  return out + "\n";
}

nlohmann::ordered_json policy_json(const TlsPolicy& p, bool set) {
  nlohmann::ordered_json protocols = nlohmann::ordered_json::array();
  for (TlsVersion v : p.protocols) protocols.push_back(tls_version_name(v));
  return {{"profile", p.profile},
          {"protocols", protocols},
          {"ciphers", p.ciphers},
          {"ciphersuites", p.ciphersuites},
          {"groups", p.groups},
          {"sigalgs", p.signature_algorithms},
          {"preference", p.server_preference ? "server" : "client"},
          {"ocspstaplingforsni", p.ocsp_stapling_for_sni},
          {"set", set}};
}

}  // namespace

int run_show_tls_policy(const Context& ctx, Verb verb, std::span<const std::string> arguments) {
  const CommandInfo info{"show tlspolicy", verb, "TLS policy", tls_policy_usage()};
  if (!arguments.empty()) return fail(ctx, invalid("show tlspolicy takes no parameters"), info);
  auto state = ctx.registry->load();
  if (!state) return fail(ctx, state.error(), info);
  const bool set = state->tls_policy.has_value();
  const TlsPolicy policy = state->tls_policy.value_or(default_tls_policy());
  nlohmann::ordered_json out = ok_json(info.name);
  out["tlsPolicy"] = policy_json(policy, set);
  return succeed(ctx, out, policy_text(policy, set));
}

int run_set_tls_policy(const Context& ctx, std::span<const std::string> arguments) {
  const CommandInfo info{"set tlspolicy", std::nullopt, "TLS policy", tls_policy_usage()};
  if (arguments.empty() || !text::iequals(arguments.front(), "tlspolicy")) {
    return fail(ctx, invalid("set takes tlspolicy: sslbind set tlspolicy profile=modern|intermediate|old ..."), info);
  }
  auto cmd = parse_tls_policy_arguments(arguments.subspan(1));
  if (!cmd) return fail(ctx, cmd.error(), info);
  TlsPolicy result;
  const Status status = ctx.registry->transact([&](RegistryState& state) -> Status {
    result = cmd->apply(state.tls_policy.value_or(default_tls_policy()));
    // OpenSSL alone knows its names: a policy it would refuse is never written.
    if (auto s = serve::check_tls_policy(result); !s) return s;
    state.tls_policy = result;
    return Ok{};
  });
  if (!status) return fail(ctx, status.error(), info);
  nlohmann::ordered_json out = ok_json(info.name);
  out["message"] = "TLS policy successfully set";
  out["tlsPolicy"] = policy_json(result, true);
  return succeed(ctx, out, "TLS policy successfully set\n" + policy_text(result, true));
}

}  // namespace sslbind::cli
