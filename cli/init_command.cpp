// init: the certificate and the two bindings a hosting front end starts with; the policy is core/init_policy.hpp.
#include "cli/cert_output.hpp"
#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/usage.hpp"
#include "core/init_policy.hpp"
#include "core/key_values.hpp"
#include "store/cert_store.hpp"
#include "store/registry.hpp"
#include "store/registry_file.hpp"
#include "store/self_signed.hpp"

namespace sslbind::cli {
namespace {

// A usable "Default" certificate already in MY (from an earlier init), or a new one.
Result<std::pair<store::StoredCertificate, bool>> default_certificate(store::CertStore& stores, std::int64_t now) {
  auto listed = stores.list(kDefaultStore);
  if (!listed) return listed.error();
  for (const auto& c : *listed) {
    if (init_policy::is_reusable_default(c.info, now)) return std::pair{c, false};
  }
  auto made = store::make_self_signed(
      {std::string(init_policy::kDefaultCommonName), {}, 0, init_policy::kDefaultCertificateLifetime});
  if (!made) return made.error();
  auto added = stores.add(*made, kDefaultStore);
  if (!added) return added.error();
  return std::pair{*added, true};
}

}  // namespace

int run_init(const Context& ctx, std::span<const std::string> arguments) {
  const CommandInfo info{"init", std::nullopt, "SSL Certificate", init_usage()};
  if (auto kv = KeyValues::parse(arguments, {}, "init", "(init takes no parameters)"); !kv) {
    return fail(ctx, kv.error(), info);
  }
  store::Registry& registry = *ctx.registry;
  auto state = registry.load();
  if (!state) return fail(ctx, state.error(), info);

  nlohmann::ordered_json out = ok_json(info.name);
  std::string text;
  out["certificate"] = nullptr;
  std::optional<Binding> fallback;  // prepared only when 0.0.0.0:443 is free, since it needs a certificate
  if (!state->bindings.find(init_policy::fallback_key())) {
    store::CertStore stores(ctx.root);
    // Under the registry lock, as every write under the root (see RegistryFile).
    auto cert = ctx.registry_file->locked<std::pair<store::StoredCertificate, bool>>(
        [&] { return default_certificate(stores, ctx.now); });
    if (!cert) return fail(ctx, cert.error(), info);
    const auto& [stored, created] = *cert;
    text += "Certificate " + std::string(init_policy::kDefaultSubject) + " " + stored.info.thumbprint.hex() +
            (created ? " created in store " : " reused from store ") + stored.store + "\n";
    out["certificate"] = certificate_json(stored, ctx.now);
    out["certificateCreated"] = created;
    fallback = init_policy::fallback_binding(stored.info.thumbprint);
  }
  std::vector<init_policy::InitOutcome> results;
  const Status status = registry.transact([&](RegistryState& st) -> Status {
    auto applied = init_policy::apply_init(st.bindings, fallback);
    if (!applied) return applied.error();
    results = std::move(*applied);
    return Ok{};
  });
  if (!status) return fail(ctx, status.error(), info);
  out["bindings"] = nlohmann::ordered_json::array();
  for (const auto& [b, added] : results) {
    text += b.key.as_parameter() + (added ? ": SSL Certificate successfully added\n" : ": exists; left as it is\n");
    out["bindings"].push_back({{"result", added ? "created" : "unchanged"}, {"binding", binding_json(b)}});
  }
  return succeed(ctx, out, text);
}

}  // namespace sslbind::cli
