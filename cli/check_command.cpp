// check: findings about bindings, stores and the CCS folder, with a severity and a fix each.
#include <ctime>
#include <map>
#include <ostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/json_output.hpp"
#include "cli/usage.hpp"
#include "core/checks.hpp"
#include "core/text.hpp"
#include "core/tool_commands.hpp"
#include "store/ccs_provider.hpp"
#include "store/cert_store.hpp"
#include "store/registry.hpp"

namespace sslbind::cli {

int run_check(const Context& ctx, std::span<const std::string> arguments) {
  const CommandInfo info{"check", std::nullopt, "SSL Certificate", check_usage()};
  auto parsed = parse_check_arguments(arguments);
  if (!parsed) return fail(ctx, parsed.error(), info);
  auto state = ctx.registry->load();
  if (!state) return fail(ctx, state.error(), info);

  const store::CertStore stores(ctx.root);
  CheckInput input;
  input.state = &*state;
  // A front end binds few certificates to many keys: each store file is read once.
  std::map<std::pair<std::string, std::string>, Result<std::optional<CertificateInfo>>> read;
  input.find_certificate = [&](const std::string& store,
                               const Thumbprint& t) -> Result<std::optional<CertificateInfo>> {
    const auto key = std::pair{text::to_lower(store), t.hex()};
    if (const auto it = read.find(key); it != read.end()) return it->second;
    return read.emplace(key, stores.find(store, t)).first->second;
  };
  if (state->ccs_provider && state->ccs_provider->enabled) {
    auto provider = store::CcsProvider::open(state->ccs_provider, ctx.root);
    if (provider)
      input.ccs_files = provider->list();
    else
      input.ccs_problem = provider.error().detail;
  }
  input.now = ctx.now;
  input.expiry_days = parsed->expiry_days;
  const auto findings = run_checks(input);

  // Printed a finding at a time: a front end with thousands of sites can have thousands of findings.
  std::optional<StreamedJson> json;
  if (ctx.json) json.emplace(*ctx.out, ok_json("check"), "findings");
  std::array<int, 3> counts{};
  for (const Finding& f : findings) {
    ++counts[static_cast<std::size_t>(f.severity)];
    const std::string severity(severity_name(f.severity));
    if (json) {
      json->add(
          {{"severity", severity}, {"rule", f.rule}, {"subject", f.subject}, {"message", f.message}, {"fix", f.fix}});
    } else {
      *ctx.out << severity << ": " << f.subject << ": " << f.message << " [" << f.rule << "]\n"
               << std::string(severity.size() + 2, ' ') << "fix: " << f.fix << "\n";
    }
  }
  if (json) {
    json->finish({{"errors", counts[0]}, {"warnings", counts[1]}, {"notes", counts[2]}});
  } else {
    *ctx.out << (findings.empty() ? "" : "\n") << counts[0] << " errors, " << counts[1] << " warnings, " << counts[2]
             << " notes\n"
             << std::flush;
  }
  return counts[0] > 0 ? kExitOperationFailed : kExitOk;
}

}  // namespace sslbind::cli
