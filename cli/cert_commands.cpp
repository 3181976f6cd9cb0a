// add|delete|show cert: the certificate stores.
#include "cli/cert_output.hpp"
#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/usage.hpp"
#include "core/cert_command.hpp"
#include "store/atomic_file.hpp"
#include "store/cert_store.hpp"
#include "store/registry_file.hpp"

namespace sslbind::cli {

int run_cert(const Context& ctx, Verb verb, std::span<const std::string> arguments) {
  const CommandInfo info{std::string(verb_name(verb)) + " cert", verb, "Certificate", cert_usage()};
  auto failed = [&](const Error& e) { return fail(ctx, e, info); };
  auto parsed = parse_cert_arguments(verb, arguments);
  if (!parsed) return failed(parsed.error());
  const CertCommand& cmd = *parsed;
  store::CertStore stores(ctx.root);
  const std::string store_name = store_or_default(cmd.store);
  nlohmann::ordered_json out = ok_json(info.name);
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
    // Under the registry lock, as every write under the root (see RegistryFile).
    auto added = ctx.registry_file->locked<store::StoredCertificate>([&] {
      return stores.import({cmd.file, key_file, password}, store_name);
    });
    if (!added) return failed(added.error());
    const store::StoredCertificate& stored = *added;
    text = "Certificate " + stored.info.thumbprint.hex() + " successfully added to store " + stored.store + "\n";
    out["message"] = "Certificate successfully added";
    out["certificate"] = certificate_json(stored, ctx.now);
  } else if (cmd.verb == Verb::Delete) {
    // Under the registry lock, so that no add sslcert binds the certificate while it goes.
    auto removed = ctx.registry_file->locked([&] { return stores.remove(store_name, *cmd.certhash); });
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
      text += certificate_text(c, ctx.now);
      out["certificates"].push_back(certificate_json(c, ctx.now));
    }
  }
  return succeed(ctx, out, text);
}

}  // namespace sslbind::cli
