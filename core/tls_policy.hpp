#pragma once
// The machine-wide TLS policy, as Windows keeps one for Schannel (what IIS Crypto edits): the protocols, cipher
// suites, groups and signature algorithms every binding offers. Per-binding options (disablelegacytls,
// disabletls12, disabletls13) narrow it further. Operators on Linux expect Mozilla's server-side TLS profiles, so the
// policy starts from one of them:
//   sslbind set tlspolicy profile=modern|intermediate|old [protocols=...] [ciphers=...] [ciphersuites=...]
//                         [groups=...] [sigalgs=...] [preference=server|client] [ocspstaplingforsni=enable|disable]
//   sslbind show tlspolicy
// Kept under HKLM\SOFTWARE\sslbind\TlsPolicy; a registry without it serves the intermediate profile.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sslbind {

// A protocol version as TLS numbers it: 0x0301 TLS 1.0 ... 0x0304 TLS 1.3.
enum class TlsVersion : std::uint16_t { Tls10 = 0x0301, Tls11 = 0x0302, Tls12 = 0x0303, Tls13 = 0x0304 };
std::string_view tls_version_name(TlsVersion v);  // "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", as OpenSSL names them

struct TlsPolicy {
  std::string profile;                // "modern", "intermediate", "old", or "custom" once anything is changed
  std::vector<TlsVersion> protocols;  // ascending, without repeats
  std::string ciphers;                // TLS 1.2 and below, an OpenSSL cipher list ("" with TLS 1.3 only)
  std::string ciphersuites;           // TLS 1.3, colon-separated
  std::string groups;                 // key exchange groups, colon-separated
  std::string signature_algorithms;   // "" leaves OpenSSL's default list
  bool server_preference = false;     // the server's order of ciphers wins (Mozilla: only for old)
  // Schannel's EnableOcspStaplingForSni: staple for hostnameport and CCS bindings too (IP bindings always staple
  // unless disableocspstapling). Not part of any profile: setting a profile keeps it.
  bool ocsp_stapling_for_sni = false;

  friend bool operator==(const TlsPolicy&, const TlsPolicy&) = default;
};

// Mozilla's server-side TLS profiles, guideline 5.7 (https://ssl-config.mozilla.org/guidelines/5.7.json), written for
// OpenSSL 3: the old profile ends its cipher list with @SECLEVEL=0, without which OpenSSL 3 offers no TLS 1.0 or 1.1,
// and leaves out DES-CBC3-SHA, which Debian's OpenSSL 3.0 no longer has.
std::span<const std::string_view> tls_profile_names();  // "modern", "intermediate", "old"
std::optional<TlsPolicy> tls_profile(std::string_view name);
TlsPolicy default_tls_policy();  // intermediate

struct TlsPolicyCommand {
  std::optional<std::string> profile;
  std::optional<std::vector<TlsVersion>> protocols;
  std::optional<std::string> ciphers;
  std::optional<std::string> ciphersuites;
  std::optional<std::string> groups;
  std::optional<std::string> signature_algorithms;
  std::optional<bool> server_preference;
  std::optional<bool> ocsp_stapling_for_sni;

  // The policy the command sets: its profile (else `current`), then what it gives explicitly ("custom" then).
  TlsPolicy apply(const TlsPolicy& current) const;
};

// The words of `set tlspolicy`: at least one; names of suites, groups and algorithms are checked by the front end's
// TLS library, which alone knows them (serve/tls_context.hpp). Refused here: an unknown profile, protocol or
// preference, an empty list, a list with blanks or control characters.
Result<TlsPolicyCommand> parse_tls_policy_arguments(std::span<const std::string> arguments);
std::span<const std::string_view> tls_policy_parameters();

// "tls1.2,tls1.3": TLSv1, TLSv1.1, TLSv1.2 and TLSv1.3 in any case, with or without the v, comma- or colon-separated.
Result<std::vector<TlsVersion>> parse_tls_versions(std::string_view text);
std::string tls_versions_text(std::span<const TlsVersion> versions);  // "TLSv1.2,TLSv1.3"

}  // namespace sslbind
