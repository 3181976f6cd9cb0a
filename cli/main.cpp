// sslbind: netsh-compatible management of TLS certificate bindings. This file owns the process: it reads the
// command line, runs the command against the registry and maps the outcome to text, JSON and an exit code.
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/exit_codes.hpp"
#include "cli/json_output.hpp"
#include "cli/messages.hpp"
#include "cli/show_text.hpp"
#include "cli/usage.hpp"
#include "cli/cert_output.hpp"
#include "core/cert_command.hpp"
#include "core/command.hpp"
#include "store/atomic_file.hpp"
#include "store/cert_store.hpp"
#include "store/registry_file.hpp"
#include "store/root_dir.hpp"

namespace sslbind::cli {
namespace {

struct Context {
  std::vector<std::string> words;
  std::optional<std::string> root;
  bool json = false;
};

std::string command_name(const SslCertCommand& cmd) { return std::string(verb_name(cmd.verb)) + " sslcert"; }

int fail(const Context& ctx, const Error& error, std::optional<Verb> verb, const std::string& command) {
  const bool cert_store = command.ends_with(" cert");
  const ErrorReport r = describe_error(error, verb, ctx.words, cert_store ? "Certificate" : "SSL Certificate");
  if (ctx.json) {
    std::cout << error_json(command, r).dump(2) << '\n';
    return r.exit_code;
  }
  for (const auto& l : r.netsh) std::cerr << l << '\n';
  std::cerr << (r.netsh.empty() ? "sslbind: " : "") << r.detail << '\n';
  if (error.code == ErrorCode::MissingParameters && verb) {
    std::cerr << '\n' << (cert_store ? cert_usage() : usage(*verb));
  }
  return r.exit_code;
}

int run_show(const Context& ctx, const SslCertCommand& cmd, const store::RegistryFile& registry) {
  auto bindings = registry.load();
  if (!bindings) return fail(ctx, bindings.error(), cmd.verb, command_name(cmd));
  std::vector<const Binding*> shown;
  if (cmd.key) {
    if (const Binding* b = bindings->find(*cmd.key)) shown.push_back(b);
  } else {
    for (const auto& [key, b] : *bindings) shown.push_back(&b);
  }
  const bool missing = cmd.key && shown.empty();
  if (ctx.json) {
    if (missing) {
      return fail(ctx, Error(ErrorCode::NotFound, cmd.key->as_parameter() + " has no binding"), cmd.verb,
                  command_name(cmd));
    }
    nlohmann::ordered_json out = ok_json(command_name(cmd));
    out["bindings"] = nlohmann::ordered_json::array();
    for (const Binding* b : shown) out["bindings"].push_back(binding_json(*b));
    std::cout << out.dump(2) << '\n';
    return kExitOk;
  }
  std::string text = show_header();
  for (const Binding* b : shown) text += show_entry(*b);
  std::cout << text << std::flush;
  if (missing) return fail(ctx, Error(ErrorCode::NotFound, cmd.key->as_parameter() + " has no binding"), cmd.verb, "");
  return kExitOk;
}

int run_change(const Context& ctx, const SslCertCommand& cmd, store::RegistryFile& registry,
               const store::CertStore& stores) {
  const Binding requested{*cmd.key, cmd.settings};
  if (cmd.settings.certhash) {
    // HTTP.SYS looks in MY when no store is named.
    const std::string store = cmd.settings.certstorename.value_or(std::string(kDefaultStore));
    if (auto usable = stores.require_usable(store, *cmd.settings.certhash); !usable) {
      return fail(ctx, usable.error(), cmd.verb, command_name(cmd));
    }
  }
  std::optional<Binding> result;  // the binding as stored (or, for delete, as it was)
  const Status status = registry.transact([&](BindingSet& set) -> Status {
    if (cmd.verb == Verb::Delete) {
      if (const Binding* b = set.find(requested.key)) result = *b;
      return set.remove(requested.key);
    }
    Status s = cmd.verb == Verb::Add ? set.add(requested) : set.update(requested);
    if (s) result = *set.find(requested.key);
    return s;
  });
  if (!status) return fail(ctx, status.error(), cmd.verb, command_name(cmd));
  if (ctx.json) {
    nlohmann::ordered_json out = ok_json(command_name(cmd));
    out["message"] = success_message(cmd.verb);
    out["binding"] = binding_json(*result);
    std::cout << out.dump(2) << '\n';
  } else {
    std::cout << success_message(cmd.verb) << '\n';
  }
  return kExitOk;
}

int run_cert(const Context& ctx, const CertCommand& cmd, store::CertStore& stores) {
  const std::string name = std::string(verb_name(cmd.verb)) + " cert";
  const std::string store_name = cmd.store.value_or(std::string(kDefaultStore));
  auto failed = [&](const Error& e) { return fail(ctx, e, cmd.verb, name); };
  nlohmann::ordered_json out = ok_json(name);
  std::string text;
  if (cmd.verb == Verb::Add) {
    std::string password = cmd.password.value_or("");
    if (cmd.password_file) {
      auto p = store::read_password_file(*cmd.password_file);
      if (!p) return failed(p.error());
      password = *p;
    }
    std::optional<std::filesystem::path> key_file;
    if (cmd.key_file) key_file = *cmd.key_file;
    auto added = stores.import({cmd.file, key_file, password}, store_name);
    if (!added) return failed(added.error());
    text = "Certificate " + added->info.thumbprint.hex() + " successfully added to store " + added->store + "\n";
    out["message"] = "Certificate successfully added";
    out["certificate"] = certificate_json(*added);
  } else if (cmd.verb == Verb::Delete) {
    auto removed = stores.remove(store_name, *cmd.certhash);
    if (!removed) return failed(removed.error());
    text = "Certificate successfully deleted\n";
    out["message"] = "Certificate successfully deleted";
  } else {
    std::optional<std::string_view> only;
    if (cmd.store) only = *cmd.store;
    auto listed = stores.list(only);
    if (!listed) return failed(listed.error());
    out["certificates"] = nlohmann::ordered_json::array();
    text = "\nCertificates:\n-------------\n\n";
    for (const auto& c : *listed) {
      text += certificate_text(c);
      out["certificates"].push_back(certificate_json(c));
    }
  }
  if (ctx.json) std::cout << out.dump(2) << '\n';
  else std::cout << text;
  return kExitOk;
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
  app.add_option("words", ctx.words, "the netsh-style command");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return fail(ctx, Error(ErrorCode::InvalidParameter, std::string(e.what()) + "; see 'sslbind help'"), std::nullopt,
                "");
  }
  if (version) {
    std::cout << "sslbind " << SSLBIND_VERSION << '\n';
    return kExitOk;
  }
  if (!root.empty()) ctx.root = root;
  if (help) ctx.words.insert(ctx.words.begin(), "help");

  auto invocation = parse_invocation(ctx.words);
  if (!invocation) {
    const auto verb = verb_of(ctx.words);
    return fail(ctx, invocation.error(), verb, verb ? std::string(verb_name(*verb)) + " sslcert" : "");
  }
  if (const auto* h = std::get_if<HelpRequest>(&*invocation)) {
    if (h->noun == Noun::Cert) std::cout << cert_usage();
    else std::cout << (h->verb ? usage(*h->verb) : general_help());
    return kExitOk;
  }
  const auto root_dir = store::resolve_root(ctx.root);
  if (const auto* words = std::get_if<CertWords>(&*invocation)) {
    auto cmd = parse_cert_arguments(words->verb, words->arguments);
    if (!cmd) return fail(ctx, cmd.error(), words->verb, std::string(verb_name(words->verb)) + " cert");
    store::CertStore stores(root_dir);
    return run_cert(ctx, *cmd, stores);
  }
  const auto& cmd = std::get<SslCertCommand>(*invocation);
  ctx.json = ctx.json || cmd.json;  // show's json=enable is netsh's spelling of --json
  store::RegistryFile registry(root_dir);
  if (cmd.verb == Verb::Show) return run_show(ctx, cmd, registry);
  return run_change(ctx, cmd, registry, store::CertStore(root_dir));
}

}  // namespace
}  // namespace sslbind::cli

int main(int argc, char** argv) { return sslbind::cli::run(argc, argv); }
