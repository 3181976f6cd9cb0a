#pragma once
// What `sslbind init` sets up, as the hosting front end of seed 000 starts: a self-signed "Default" certificate in
// MY bound to ipport=0.0.0.0:443, and ccs=443, both with the front end's appid. A binding that exists is left as it
// is (it may hold a replacement certificate by now), so running init again changes nothing.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/binding_set.hpp"
#include "core/certificate_info.hpp"

namespace sslbind::init_policy {

inline constexpr std::string_view kFrontEndAppId = "{4dc3e181-e14b-4a21-b022-59fc669b0914}";
inline constexpr std::string_view kDefaultCommonName = "Default";
inline constexpr std::string_view kDefaultSubject = "CN=Default";
inline constexpr std::int64_t kDefaultCertificateLifetime = 5 * 365 * 24 * 3600;

BindingKey fallback_key();  // ipport=0.0.0.0:443
BindingKey ccs_key();       // ccs=443

// An earlier init's certificate can serve again: it is the Default certificate, has its key and has not expired.
bool is_reusable_default(const CertificateInfo& certificate, std::int64_t now);

// The fallback binding for the Default certificate (in MY).
Binding fallback_binding(const Thumbprint& certificate);

struct InitOutcome {
  Binding binding;  // as stored afterwards
  bool added = false;
};

// Adds the fallback binding (when prepared) and the CCS binding where their keys are free. NotFound when the fallback
// key is free but no binding was prepared for it: it was deleted after init looked, and init must run again.
Result<std::vector<InitOutcome>> apply_init(BindingSet& bindings, const std::optional<Binding>& fallback);

}  // namespace sslbind::init_policy
