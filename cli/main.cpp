// sslbind: netsh-compatible management of TLS certificate bindings. This file owns the process: it reads the
// global options and the command words and hands them to the runner of the object or tool they name.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/completion_scripts.hpp"
#include "cli/exit_codes.hpp"
#include "cli/usage.hpp"
#include "core/command.hpp"
#include "core/text.hpp"
#include "store/root_dir.hpp"

namespace sslbind::cli {
namespace {

std::string help_text(const HelpRequest& h) {
  if (h.tool) {
    switch (*h.tool) {
      case Tool::Init: return init_usage();
      case Tool::Resolve: return resolve_usage();
      case Tool::Check: return check_usage();
      case Tool::Export:
      case Tool::Import: return interchange_usage();
    }
  }
  if (h.noun == Noun::Cert) return cert_usage();
  if (h.noun == Noun::Ccs) return ccs_usage();
  return h.verb ? usage(*h.verb) : general_help();
}

int run(int argc, char** argv) {
  CLI::App app{"sslbind: netsh-compatible TLS certificate bindings"};
  app.set_help_flag();  // help is netsh-style: "sslbind help", "sslbind add sslcert help"
  Context ctx;
  std::string root;
  bool help = false;
  bool version = false;
  app.add_option("--root", root, "folder of the registry");
  app.add_flag("--json", ctx.json, "JSON output");
  app.add_flag("-h,--help", help, "usage");
  app.add_flag("--version", version, "version");
  std::string completion;
  app.add_option("--completion", completion, "print the completion script for bash, zsh or fish");
  BatchOptions batch;
  app.add_option("-f", batch.file, "run the sslcert commands of a file (- for standard input) as one transaction");
  app.add_flag("--dry-run", batch.dry_run, "with -f: report the changes, write nothing");
  app.add_flag("--add-or-update", batch.add_or_update, "with -f: add creates or updates; delete of a missing key is fine");
  app.add_option("words", ctx.words, "the netsh-style command");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return fail(ctx, Error(ErrorCode::InvalidParameter, std::string(e.what()) + "; see 'sslbind help'"), {});
  }
  if (version) {
    std::cout << "sslbind " << SSLBIND_VERSION << '\n';
    return kExitOk;
  }
  if (!completion.empty()) {
    const auto script = completion_script(completion);
    if (!script) return fail(ctx, invalid("--completion " + completion + ": the shells are bash, zsh and fish"), {});
    std::cout << *script;
    return kExitOk;
  }
  if (help) ctx.words.insert(ctx.words.begin(), "help");
  ctx.root = store::resolve_root(root.empty() ? std::nullopt : std::optional<std::string>(root));
  if (!batch.file.empty()) {
    if (!ctx.words.empty()) {
      return fail(ctx, invalid("-f runs the commands of a file; give no command words with it"), {});
    }
    return run_batch(ctx, batch);
  }
  const bool importing = !ctx.words.empty() && text::iequals(ctx.words.front(), "import");
  if ((batch.dry_run || batch.add_or_update) && !importing) {
    return fail(ctx, invalid("--dry-run and --add-or-update apply to -f FILE and import netsh"), {});
  }

  auto invocation = parse_invocation(ctx.words);
  if (!invocation) {
    const auto verb = verb_of(ctx.words);
    return fail(ctx, invocation.error(),
                {verb ? std::string(verb_name(*verb)) + " sslcert" : "", verb, "SSL Certificate",
                 verb ? usage(*verb) : ""});
  }
  if (const auto* h = std::get_if<HelpRequest>(&*invocation)) {
    std::cout << help_text(*h);
    return kExitOk;
  }
  if (const auto* words = std::get_if<ObjectWords>(&*invocation)) {
    if (words->noun == Noun::Cert) return run_cert(ctx, words->verb, words->arguments);
    return run_ccs(ctx, words->verb, words->arguments);
  }
  if (const auto* tool = std::get_if<ToolWords>(&*invocation)) {
    switch (tool->tool) {
      case Tool::Init: return run_init(ctx, tool->arguments);
      case Tool::Resolve: return run_resolve(ctx, tool->arguments);
      case Tool::Check: return run_check(ctx, tool->arguments);
      case Tool::Export: return run_export(ctx, tool->arguments);
      case Tool::Import: return run_import(ctx, tool->arguments, batch);
    }
    return kExitUsage;  // every tool returned above
  }
  const auto& cmd = std::get<SslCertCommand>(*invocation);
  ctx.json = ctx.json || cmd.json;  // show's json=enable is netsh's spelling of --json
  return run_sslcert(ctx, cmd);
}

}  // namespace
}  // namespace sslbind::cli

int main(int argc, char** argv) { return sslbind::cli::run(argc, argv); }
