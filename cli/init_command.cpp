// init: the certificate and the two bindings a hosting front end starts with (seed 000): a self-signed "Default"
// certificate in MY bound to ipport=0.0.0.0:443, and ccs=443, both with the front end's appid. Running it again
// changes nothing: a binding that exists is left as it is (it may hold a replacement certificate by now).
#include <ctime>

#include "cli/cert_output.hpp"
#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/usage.hpp"
#include "core/key_values.hpp"
#include "store/cert_store.hpp"
#include "store/registry_file.hpp"
#include "store/self_signed.hpp"

namespace sslbind::cli {
namespace {

constexpr std::string_view kFrontEndAppId = "{4dc3e181-e14b-4a21-b022-59fc669b0914}";
constexpr std::string_view kDefaultSubject = "CN=Default";
constexpr std::uint16_t kPort = 443;
constexpr std::int64_t kDefaultCertificateLifetime = 5 * 365 * 24 * 3600;

// A usable "Default" certificate already in MY (from an earlier init), or a new one.
Result<std::pair<store::StoredCertificate, bool>> default_certificate(store::CertStore& stores) {
  auto listed = stores.list(kDefaultStore);
  if (!listed) return listed.error();
  const std::int64_t now = std::time(nullptr);
  for (const auto& c : *listed) {
    if (c.info.subject == kDefaultSubject && c.info.has_private_key && c.info.not_after > now) {
      return std::pair{c, false};
    }
  }
  auto made = store::make_self_signed({"Default", {}, 0, kDefaultCertificateLifetime});
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
  store::RegistryFile registry(ctx.root);
  auto state = registry.load();
  if (!state) return fail(ctx, state.error(), info);
  const auto appid = *Guid::parse(kFrontEndAppId);
  const BindingKey ip_key = BindingKey::ip(*IpPort::parse("0.0.0.0:" + std::to_string(kPort)));
  const BindingKey ccs_key = BindingKey::ccs(kPort);

  nlohmann::ordered_json out = ok_json(info.name);
  std::string text;
  out["certificate"] = nullptr;
  std::optional<Binding> ip_binding;  // prepared only when 0.0.0.0:443 is free, since it needs a certificate
  if (!state->bindings.find(ip_key)) {
    store::CertStore stores(ctx.root);
    auto cert = default_certificate(stores);
    if (!cert) return fail(ctx, cert.error(), info);
    const auto& [stored, created] = *cert;
    text += "Certificate " + std::string(kDefaultSubject) + " " + stored.info.thumbprint.hex() +
            (created ? " created in store " : " reused from store ") + stored.store + "\n";
    out["certificate"] = certificate_json(stored);
    out["certificateCreated"] = created;
    SslSettings s;
    s.appid = appid;
    s.certhash = stored.info.thumbprint;
    s.certstorename = std::string(kDefaultStore);
    ip_binding = Binding{ip_key, s};
  }
  SslSettings ccs_settings;
  ccs_settings.appid = appid;
  const Binding ccs_binding{ccs_key, ccs_settings};

  std::vector<std::pair<Binding, bool>> results;  // the binding as stored, and whether init added it
  const Status status = registry.transact([&](RegistryState& st) -> Status {
    results.clear();
    using Step = std::pair<BindingKey, std::optional<Binding>>;
    for (const auto& [key, prepared] : {Step{ip_key, ip_binding}, Step{ccs_key, ccs_binding}}) {
      bool added = false;
      if (!st.bindings.find(key)) {
        if (!prepared) return Error(ErrorCode::NotFound, key.as_parameter() + " was deleted while init ran; run init again");
        added = static_cast<bool>(st.bindings.add(*prepared));
      }
      results.emplace_back(*st.bindings.find(key), added);
    }
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
