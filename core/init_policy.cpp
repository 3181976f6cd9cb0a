#include "core/init_policy.hpp"

namespace sslbind::init_policy {
namespace {

constexpr std::uint16_t kPort = 443;

Guid front_end_appid() { return *Guid::parse(kFrontEndAppId); }

}  // namespace

BindingKey fallback_key() { return BindingKey::ip(*IpPort::parse("0.0.0.0:" + std::to_string(kPort))); }
BindingKey ccs_key() { return BindingKey::ccs(kPort); }

bool is_reusable_default(const CertificateInfo& certificate, std::int64_t now) {
  return certificate.subject == kDefaultSubject && certificate.has_private_key && certificate.not_after > now;
}

Binding fallback_binding(const Thumbprint& certificate) {
  SslSettings s;
  s.appid = front_end_appid();
  s.certhash = certificate;
  s.certstorename = std::string(kDefaultStore);
  return {fallback_key(), s};
}

Result<std::vector<InitOutcome>> apply_init(BindingSet& bindings, const std::optional<Binding>& fallback) {
  SslSettings ccs_settings;
  ccs_settings.appid = front_end_appid();
  const std::pair<BindingKey, std::optional<Binding>> steps[] = {{fallback_key(), fallback},
                                                                 {ccs_key(), Binding{ccs_key(), ccs_settings}}};
  std::vector<InitOutcome> out;
  for (const auto& [key, prepared] : steps) {
    bool added = false;
    if (!bindings.find(key)) {
      if (!prepared)
        return Error(ErrorCode::NotFound, key.as_parameter() + " was deleted while init ran; run init again");
      added = static_cast<bool>(bindings.add(*prepared));
    }
    out.push_back({*bindings.find(key), added});
  }
  return out;
}

}  // namespace sslbind::init_policy
