// resolve: which certificate a client gets for a connection, by HTTP.SYS's selection order.
#include <ctime>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/format.hpp"
#include "cli/json_output.hpp"
#include "cli/usage.hpp"
#include "core/cert_command.hpp"
#include "core/name_match.hpp"
#include "core/selection.hpp"
#include "core/tool_commands.hpp"
#include "store/ccs_provider.hpp"
#include "store/cert_store.hpp"
#include "store/registry.hpp"
#include "store/served_by.hpp"

namespace sslbind::cli {
namespace {

constexpr std::size_t kWidth = 22;

int step_number(SelectionStep step) { return static_cast<int>(step) + 1; }

}  // namespace

int run_resolve(const Context& ctx, std::span<const std::string> arguments) {
  const CommandInfo info{"resolve", std::nullopt, "SSL Certificate", resolve_usage()};
  auto parsed = parse_resolve_arguments(arguments);
  if (!parsed) return fail(ctx, parsed.error(), info);
  const ResolveCommand& cmd = *parsed;
  auto state = ctx.registry->load();
  if (!state) return fail(ctx, state.error(), info);

  // The CCS folder is listed only if the CCS step is reached.
  std::optional<Result<store::CcsProvider>> provider;
  std::optional<std::filesystem::path> ccs_folder;
  const CcsLookup lookup = [&](std::string_view host) {
    if (!provider) provider = store::CcsProvider::open(state->ccs_provider, ctx.root);
    if (!*provider) return CcsOutcome{{}, std::nullopt, std::nullopt, false, (*provider).error().detail};
    ccs_folder = (*provider)->folder();
    return (*provider)->outcome(host);
  };
  const SelectionIndex index(state->bindings);
  const ClientHello hello{cmd.connection.address, cmd.connection.port, cmd.hostname};
  const Selection sel = index.select(hello, lookup);

  const std::int64_t now = ctx.now;
  nlohmann::ordered_json out = ok_json("resolve");
  out["client"] = {{"ipport", cmd.connection.str()},
                   {"hostname", cmd.hostname ? nlohmann::ordered_json(*cmd.hostname) : nlohmann::ordered_json()}};
  std::string text = "Client: " + cmd.connection.str() +
                     (cmd.hostname ? " with SNI host name " + *cmd.hostname : " without SNI") + "\n\n";
  out["selected"] = sel.winner.has_value();
  if (sel.winner) {
    const Candidate& w = *sel.winner;
    const store::ServedCertificate served = store::served_by(sel, store::CertStore(ctx.root), ccs_folder);
    text += "Selected by step " + std::to_string(step_number(w.step)) + ", " + std::string(step_name(w.step)) + ": " +
            w.binding->key.as_parameter() + "\n";
    out["step"] = step_number(w.step);
    out["stepName"] = step_name(w.step);
    out["binding"] = binding_json(*w.binding);
    nlohmann::ordered_json cert = {{"source", served.source}};
    label_line(text, "Source", served.source, kWidth);
    if (served.certificate) {
      const CertificateInfo& c = *served.certificate;
      label_line(text, "Certificate Hash", c.thumbprint.hex(), kWidth);
      label_line(text, "Subject", c.subject, kWidth);
      label_line(text, "DNS Names", joined(c.dns_names), kWidth);
      const bool expired = c.not_after < now;
      label_line(text, "Valid To", utc(c.not_after) + (expired ? " (expired)" : ""), kWidth);
      cert["certhash"] = c.thumbprint.hex();
      cert["subject"] = c.subject;
      cert["dnsnames"] = c.dns_names;
      cert["notafter"] = utc(c.not_after);
      cert["expired"] = expired;
      if (cmd.hostname) {
        const bool covers = certificate_covers(c, *cmd.hostname);
        label_line(text, "Covers Host Name", covers ? "Yes" : "No: the client shows a certificate error", kWidth);
        cert["coversHostname"] = covers;
      } else {
        label_line(text, "Covers Host Name", "(the client sent no host name)", kWidth);
        cert["coversHostname"] = nullptr;
      }
    } else {
      label_line(text, "Problem", served.problem, kWidth);
      cert["error"] = served.problem;
    }
    out["certificate"] = cert;
  } else {
    text += "No binding matches: no certificate is sent and the TLS handshake fails.\n";
  }
  out["passedOver"] = sel.passed_over;
  if (!sel.passed_over.empty()) {
    text += "\nPassed over:\n";
    for (const auto& p : sel.passed_over) text += "    " + p + "\n";
  }
  out["hidden"] = nlohmann::ordered_json::array();
  if (!sel.hidden.empty()) text += "\nHidden by this step:\n";
  for (const Candidate& h : sel.hidden) {
    text += "    " + h.binding->key.as_parameter() + " (step " + std::to_string(step_number(h.step)) + ", " +
            std::string(step_name(h.step)) + ")\n";
    out["hidden"].push_back({{"step", step_number(h.step)}, {"key", h.binding->key.as_parameter()}});
  }
  succeed(ctx, out, text);
  return sel.winner ? kExitOk : kExitOperationFailed;
}

}  // namespace sslbind::cli
