#pragma once
// One runner per object or tool; each returns the process exit code.
#include <span>
#include <string>

#include "cli/context.hpp"
#include "core/batch.hpp"
#include "core/command.hpp"

namespace sslbind::cli {

struct BatchOptions {
  std::string file;  // "-" for standard input
  bool dry_run = false;
  bool add_or_update = false;
};

int run_batch(const Context& ctx, const BatchOptions& options);
// Applies parsed add/update/delete lines as one transaction and reports each (shared by -f and import netsh).
int apply_lines(const Context& ctx, CommandInfo info, Result<std::vector<BatchLine>> lines, const BatchOptions& options);
int run_export(const Context& ctx, std::span<const std::string> arguments);
int run_import(const Context& ctx, std::span<const std::string> arguments, const BatchOptions& options);
int run_sslcert(const Context& ctx, const SslCertCommand& cmd);
int run_cert(const Context& ctx, Verb verb, std::span<const std::string> arguments);
int run_ccs(const Context& ctx, Verb verb, std::span<const std::string> arguments);
int run_init(const Context& ctx, std::span<const std::string> arguments);
int run_resolve(const Context& ctx, std::span<const std::string> arguments);
int run_check(const Context& ctx, std::span<const std::string> arguments);

}  // namespace sslbind::cli
