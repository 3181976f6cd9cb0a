#include "cli/run.hpp"

#include <CLI/CLI.hpp>
#include <ctime>
#include <exception>
#include <iostream>

#include "cli/command_table.hpp"
#include "cli/commands.hpp"
#include "cli/completion_scripts.hpp"
#include "cli/exit_codes.hpp"
#include "cli/usage.hpp"
#include "cli/version.hpp"
#include "core/key_values.hpp"
#include "core/store_location.hpp"
#include "core/text.hpp"
#include "store/atomic_file.hpp"
#include "store/etcd_registry.hpp"
#include "store/registry_file.hpp"
#include "store/root_dir.hpp"

namespace sslbind::cli {
namespace {

// How to reach a secured etcd, named as etcdctl names it (ETCDCTL_CACERT, ...): the files, and a user whose password
// is read from a file, never from the command line or the environment.
Result<store::EtcdSecurity> etcd_security() {
  auto env = [](const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
  };
  store::EtcdSecurity s;
  s.ca_file = env("SSLBIND_ETCD_CACERT");
  s.cert_file = env("SSLBIND_ETCD_CERT");
  s.key_file = env("SSLBIND_ETCD_KEY");
  s.user = env("SSLBIND_ETCD_USER");
  const std::string password_file = env("SSLBIND_ETCD_PASSWORD_FILE");
  if (!s.user.empty() && password_file.empty()) {
    return invalid("SSLBIND_ETCD_USER " + text::quote(s.user) +
                   " needs SSLBIND_ETCD_PASSWORD_FILE, a file whose first line is the password");
  }
  if (!password_file.empty()) {
    auto password = store::read_password_file(password_file);
    if (!password) return password.error();
    s.password = std::move(*password);
  }
  return s;
}

std::string help_text(const HelpRequest& h) {
  if (!h.tool.empty()) return tool_command(h.tool).usage();
  if (!h.object.empty()) return object_command(h.object).usage(h.verb.value_or(Verb::Show));
  return h.verb ? usage(*h.verb) : general_help();
}

CommandInfo parse_failure_info(const Context& ctx) {
  const auto verb = verb_of(ctx.words);
  return {verb ? std::string(verb_name(*verb)) + " sslcert" : "", verb, "SSL Certificate", verb ? usage(*verb) : ""};
}

int run(const std::vector<std::string>& arguments, Context& ctx) {
  CLI::App app{"sslbind: netsh-compatible TLS certificate bindings"};
  app.set_help_flag();  // help is netsh-style: "sslbind help", "sslbind add sslcert help"
  std::string root;
  bool help = false;
  bool version = false;
  app.add_option("--root", root, "folder of the registry");
  std::string store_text;
  app.add_option("--store", store_text, "the registry: etcd://HOST:PORT[,HOST:PORT...]/FARM (default: the file)");
  app.add_flag("--json", ctx.json, "JSON output");
  app.add_flag("-h,--help", help, "usage");
  app.add_flag("--version", version, "version");
  std::string completion;
  app.add_option("--completion", completion, "print the completion script for bash, zsh or fish");
  BatchOptions& batch = ctx.batch;
  app.add_option("-f", batch.file, "run the sslcert commands of a file (- for standard input) as one transaction");
  app.add_flag("--dry-run", batch.dry_run, "with -f: report the changes, write nothing");
  app.add_flag("--add-or-update", batch.add_or_update,
               "with -f: add creates or updates; delete of a missing key is fine");
  std::string missing_certificates;
  app.add_option("--missing-certificates", missing_certificates,
                 "with -f or import netsh: allow imports bindings whose certificate is not in its store yet");
  app.add_option("words", ctx.words, "the netsh-style command");
  try {
    app.parse(std::vector<std::string>(arguments.rbegin(), arguments.rend()));  // CLI11 takes them reversed
  } catch (const CLI::ParseError& e) {
    return fail(ctx, Error(ErrorCode::InvalidParameter, std::string(e.what()) + "; see 'sslbind help'"), {});
  }
  if (version) {
    *ctx.out << "sslbind " << version_text() << '\n';
    return kExitOk;
  }
  if (!completion.empty()) {
    const auto script = completion_script(completion);
    if (!script) return fail(ctx, invalid("--completion " + completion + ": the shells are bash, zsh and fish"), {});
    *ctx.out << *script;
    return kExitOk;
  }
  if (help) ctx.words.insert(ctx.words.begin(), "help");
  if (auto s = check_utf8(root, "--root " + text::quote(root)); !s) return fail(ctx, s.error(), {});
  ctx.root = store::resolve_root(root.empty() ? std::nullopt : std::optional<std::string>(root));
  ctx.now = std::time(nullptr);
  // Opened once and handed down; opening reads nothing, so help and parse errors never touch the root.
  store::RegistryFile registry(ctx.root);
  ctx.registry = &registry;
  ctx.registry_file = &registry;  // host-local: the certificate stores' lock stays on this machine with any store
  if (store_text.empty()) {
    if (const char* env = std::getenv("SSLBIND_STORE"); env != nullptr) store_text = env;
  }
  auto location = parse_store_location(store_text);
  if (!location) return fail(ctx, location.error(), {});
  std::optional<store::EtcdRegistry> shared;
  if (location->kind == StoreLocation::Kind::Etcd) {
    auto security = etcd_security();
    if (!security) return fail(ctx, security.error(), {});
    shared.emplace(*location, ctx.root, std::move(*security));
    ctx.registry = &*shared;
  }
  if (!missing_certificates.empty()) {
    if (!text::iequals(missing_certificates, "allow") && !text::iequals(missing_certificates, "refuse")) {
      return fail(ctx,
                  invalid("--missing-certificates " + text::quote(missing_certificates) +
                          ": the choices are refuse (netsh's 1312, the default) and allow"),
                  {});
    }
    batch.allow_missing_certificates = text::iequals(missing_certificates, "allow");
  }
  if (!batch.file.empty()) {
    if (!ctx.words.empty()) {
      return fail(ctx, invalid("-f runs the commands of a file; give no command words with it"), {});
    }
    return run_batch(ctx);
  }
  const bool importing = !ctx.words.empty() && text::iequals(ctx.words.front(), "import");
  if ((batch.dry_run || batch.add_or_update || !missing_certificates.empty()) && !importing) {
    return fail(
        ctx,
        invalid("--dry-run, --add-or-update and --missing-certificates apply to -f FILE, import netsh and import reg"),
        {});
  }

  auto invocation = parse_invocation(ctx.words, command_names());
  if (!invocation) return fail(ctx, invocation.error(), parse_failure_info(ctx));
  if (const auto* h = std::get_if<HelpRequest>(&*invocation)) {
    *ctx.out << help_text(*h);
    return kExitOk;
  }
  if (const auto* words = std::get_if<ObjectWords>(&*invocation)) {
    return object_command(words->object).run(ctx, words->verb, words->arguments);
  }
  const auto& tool = std::get<ToolWords>(*invocation);
  return tool_command(tool.tool, tool.arguments).run(ctx, tool.arguments);
}

}  // namespace

int run_command_line(const std::vector<std::string>& arguments, std::istream& in, std::ostream& out,
                     std::ostream& err) {
  Context ctx;
  ctx.in = &in;
  ctx.out = &out;
  ctx.err = &err;
  try {
    return run(arguments, ctx);
  } catch (const std::exception& e) {
    // A bug, not a user error: say so in one line, and never abort with a core dump.
    err << "sslbind: internal error: " << e.what() << "; nothing more was written. Please report this.\n";
    return kExitInternal;
  } catch (...) {
    err << "sslbind: internal error of unknown kind; nothing more was written. Please report this.\n";
    return kExitInternal;
  }
}

}  // namespace sslbind::cli
