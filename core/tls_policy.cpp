#include "core/tls_policy.hpp"

#include <algorithm>
#include <array>
#include <tuple>

#include "core/key_values.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::array<std::string_view, 3> kProfileNames{"modern", "intermediate", "old"};
constexpr std::array<std::string_view, 8> kParams{"profile", "protocols", "ciphers",    "ciphersuites",
                                                  "groups",  "sigalgs",   "preference", "ocspstaplingforsni"};

constexpr std::string_view kTls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr std::string_view kGroups = "X25519:prime256v1:secp384r1";
constexpr std::string_view kIntermediateCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";
constexpr std::string_view kOldExtraCiphers =
    ":ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:"
    "ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:"
    "DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:"
    "AES128-SHA:AES256-SHA:@SECLEVEL=0";

// A list value: no blanks (OpenSSL would read them as separators) and nothing invisible.
Result<std::string> list_value(std::string_view name, std::string_view value, bool may_be_empty) {
  if (value.empty() && !may_be_empty) return invalid(std::string(name) + " is empty; give a colon-separated list");
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c <= ' ' || c >= 0x7F) {
      return invalid(std::string(name) + " " + text::quote(value) +
                     " holds a blank or a character OpenSSL names do not have; separate names with colons");
    }
  }
  return std::string(value);
}

}  // namespace

std::string_view tls_version_name(TlsVersion v) {
  switch (v) {
    case TlsVersion::Tls10: return "TLSv1";
    case TlsVersion::Tls11: return "TLSv1.1";
    case TlsVersion::Tls12: return "TLSv1.2";
    case TlsVersion::Tls13: return "TLSv1.3";
  }
  return "TLSv1.2";
}

std::span<const std::string_view> tls_profile_names() { return kProfileNames; }

std::optional<TlsPolicy> tls_profile(std::string_view name) {
  if (name == "modern") {
    return TlsPolicy{"modern", {TlsVersion::Tls13}, "", std::string(kTls13Suites), std::string(kGroups), "", false};
  }
  if (name == "intermediate") {
    return TlsPolicy{"intermediate",
                     {TlsVersion::Tls12, TlsVersion::Tls13},
                     std::string(kIntermediateCiphers),
                     std::string(kTls13Suites),
                     std::string(kGroups),
                     "",
                     false};
  }
  if (name == "old") {
    return TlsPolicy{"old",
                     {TlsVersion::Tls10, TlsVersion::Tls11, TlsVersion::Tls12, TlsVersion::Tls13},
                     std::string(kIntermediateCiphers) + std::string(kOldExtraCiphers),
                     std::string(kTls13Suites),
                     std::string(kGroups),
                     "",
                     true};
  }
  return std::nullopt;
}

TlsPolicy default_tls_policy() { return *tls_profile("intermediate"); }

Result<std::vector<TlsVersion>> parse_tls_versions(std::string_view text) {
  std::vector<TlsVersion> out;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t end = std::min(text.find_first_of(",:", at), text.size());
    const std::string word = text::to_lower(text.substr(at, end - at));
    at = end + 1;
    std::optional<TlsVersion> v;
    if (word == "tls1" || word == "tlsv1" || word == "tls1.0" || word == "tlsv1.0") v = TlsVersion::Tls10;
    if (word == "tls1.1" || word == "tlsv1.1") v = TlsVersion::Tls11;
    if (word == "tls1.2" || word == "tlsv1.2") v = TlsVersion::Tls12;
    if (word == "tls1.3" || word == "tlsv1.3") v = TlsVersion::Tls13;
    if (!v) {
      return invalid("protocols: " + text::quote(word) +
                     " is not a protocol sslbind offers: TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3 (SSL 3 and below are "
                     "gone from OpenSSL)");
    }
    if (std::find(out.begin(), out.end(), *v) == out.end()) out.push_back(*v);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string tls_versions_text(std::span<const TlsVersion> versions) {
  std::string out;
  for (TlsVersion v : versions) out += (out.empty() ? "" : ",") + std::string(tls_version_name(v));
  return out;
}

std::span<const std::string_view> tls_policy_parameters() { return kParams; }

Result<TlsPolicyCommand> parse_tls_policy_arguments(std::span<const std::string> arguments) {
  auto kv = KeyValues::parse(arguments, kParams, "set tlspolicy", "profile=intermediate");
  if (!kv) return kv.error();
  TlsPolicyCommand cmd;
  if (auto profile = kv->get("profile")) {
    const std::string name = text::to_lower(*profile);
    if (!tls_profile(name)) {
      return invalid("profile " + text::quote(*profile) + " is not one of Mozilla's: modern, intermediate or old");
    }
    cmd.profile = name;
  }
  if (auto protocols = kv->get("protocols")) {
    auto versions = parse_tls_versions(*protocols);
    if (!versions) return versions.error();
    cmd.protocols = std::move(*versions);
  }
  for (const auto& [name, field, may_be_empty] :
       {std::tuple{"ciphers", &cmd.ciphers, true}, std::tuple{"ciphersuites", &cmd.ciphersuites, true},
        std::tuple{"groups", &cmd.groups, false}, std::tuple{"sigalgs", &cmd.signature_algorithms, true}}) {
    if (auto value = kv->get(name)) {
      auto list = list_value(name, *value, may_be_empty);
      if (!list) return list.error();
      *field = std::move(*list);
    }
  }
  if (auto preference = kv->get("preference")) {
    const std::string p = text::to_lower(*preference);
    if (p != "server" && p != "client") {
      return invalid("preference " + text::quote(*preference) +
                     " is neither server (the server's cipher order wins) nor client");
    }
    cmd.server_preference = p == "server";
  }
  if (auto sni = kv->get("ocspstaplingforsni")) {
    const std::string v = text::to_lower(*sni);
    if (v != "enable" && v != "disable") {
      return invalid("ocspstaplingforsni " + text::quote(*sni) + " is neither enable nor disable");
    }
    cmd.ocsp_stapling_for_sni = v == "enable";
  }
  const bool any = cmd.profile || cmd.protocols || cmd.ciphers || cmd.ciphersuites || cmd.groups ||
                   cmd.signature_algorithms || cmd.server_preference || cmd.ocsp_stapling_for_sni;
  if (!any) {
    return Error(ErrorCode::MissingParameters,
                 "set tlspolicy needs profile=modern|intermediate|old, or what to change: protocols=, ciphers=, "
                 "ciphersuites=, groups=, sigalgs=, preference=, ocspstaplingforsni=");
  }
  return cmd;
}

TlsPolicy TlsPolicyCommand::apply(const TlsPolicy& current) const {
  TlsPolicy out = profile ? *tls_profile(*profile) : current;
  out.ocsp_stapling_for_sni = ocsp_stapling_for_sni.value_or(current.ocsp_stapling_for_sni);
  bool changed = false;
  const auto set = [&](auto& field, const auto& given) {
    if (!given) return;
    changed = changed || field != *given;
    field = *given;
  };
  set(out.protocols, protocols);
  set(out.ciphers, ciphers);
  set(out.ciphersuites, ciphersuites);
  set(out.groups, groups);
  set(out.signature_algorithms, signature_algorithms);
  set(out.server_preference, server_preference);
  if (changed) out.profile = "custom";
  return out;
}

}  // namespace sslbind
