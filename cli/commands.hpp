#pragma once
// One runner per object or tool, named by the command table; each returns the process exit code.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cli/context.hpp"
#include "core/batch.hpp"
#include "core/registry_state.hpp"

namespace sslbind::cli {

int run_sslcert(const Context& ctx, Verb verb, std::span<const std::string> arguments);
int run_sslpropertyex(const Context& ctx, Verb verb, std::span<const std::string> arguments);
int run_webfarm(const Context& ctx, Verb verb, std::span<const std::string> arguments);
int run_route(const Context& ctx, Verb verb, std::span<const std::string> arguments);
int run_cert(const Context& ctx, Verb verb, std::span<const std::string> arguments);
int run_ccs(const Context& ctx, Verb verb, std::span<const std::string> arguments);
int run_iplisten(const Context& ctx, Verb verb, std::span<const std::string> arguments);
std::string show_farm_usage();
int run_show_farm(const Context& ctx, Verb verb, std::span<const std::string> arguments);
int run_show_tls_policy(const Context& ctx, Verb verb, std::span<const std::string> arguments);
int run_set_tls_policy(const Context& ctx, std::span<const std::string> arguments);
int run_init(const Context& ctx, std::span<const std::string> arguments);
int run_resolve(const Context& ctx, std::span<const std::string> arguments);
int run_check(const Context& ctx, std::span<const std::string> arguments);
int run_export(const Context& ctx, std::span<const std::string> arguments);
int run_import(const Context& ctx, std::span<const std::string> arguments);
int run_dump(const Context& ctx, std::span<const std::string> arguments);
// -f FILE, with ctx.batch.
int run_batch(const Context& ctx);
// A CCS provider an import sets in the same transaction as its bindings (import reg).
struct ImportedProvider {
  CcsProviderConfig config;  // without passwords: the machine's sealed ones are kept
  std::size_t line = 0;
  std::string note;  // what the operator must still do, or empty
};
// Applies parsed add/update/delete lines as one transaction and reports each (shared by -f and the imports).
// `skipped`: lines of a netsh script, or keys and values of a .reg file, that are not sslbind's, reported as such.
int apply_lines(const Context& ctx, CommandInfo info, Result<std::vector<BatchLine>> lines,
                const std::vector<SkippedLine>& skipped = {}, const std::optional<ImportedProvider>& provider = {});

}  // namespace sslbind::cli
