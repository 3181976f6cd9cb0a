// The TLS policy's words and Mozilla's profiles (the names OpenSSL knows are checked in serve/tls_context).
#include "core/tls_policy.hpp"

#include <doctest/doctest.h>

#include "serve/tls_context.hpp"

using namespace sslbind;

namespace {

Result<TlsPolicyCommand> parse(std::vector<std::string> words) { return parse_tls_policy_arguments(words); }

}  // namespace

TEST_CASE("tls policy: protocol names in the spellings operators use") {
  CHECK(*parse_tls_versions("tls1.2,TLSv1.3") == std::vector<TlsVersion>{TlsVersion::Tls12, TlsVersion::Tls13});
  CHECK(*parse_tls_versions("TLSv1.3:tls1:TLSV1.0:tls1.3") ==
        std::vector<TlsVersion>{TlsVersion::Tls10, TlsVersion::Tls13});
  CHECK(tls_versions_text(*parse_tls_versions("tlsv1.1,tls1")) == "TLSv1,TLSv1.1");
  CHECK(parse_tls_versions("").error().detail.starts_with("protocols: '' is not a protocol"));
  CHECK(parse_tls_versions("tls1.2,").error().detail.starts_with("protocols: '' is not a protocol"));
  CHECK(parse_tls_versions("SSLv3").error().detail.find("SSL 3 and below are gone") != std::string::npos);
  CHECK(parse_tls_versions("tls1.4").error().detail.starts_with("protocols: 'tls1.4'"));
}

TEST_CASE("tls policy: Mozilla's profiles, and changes on top of them") {
  const TlsPolicy modern = *tls_profile("modern");
  CHECK(modern.protocols == std::vector<TlsVersion>{TlsVersion::Tls13});
  CHECK(modern.ciphers.empty());
  const TlsPolicy intermediate = default_tls_policy();
  CHECK(intermediate.profile == "intermediate");
  CHECK(intermediate.ciphers.find("-SHA:") == std::string::npos);  // no CBC with SHA-1
  CHECK(intermediate.ciphers.find(":AES") == std::string::npos);   // no static RSA
  CHECK_FALSE(intermediate.server_preference);
  const TlsPolicy old = *tls_profile("old");
  CHECK(old.protocols.front() == TlsVersion::Tls10);
  CHECK(old.ciphers.ends_with(":@SECLEVEL=0"));
  CHECK(old.server_preference);
  CHECK_FALSE(tls_profile("custom"));
  for (std::string_view name : tls_profile_names()) {
    CAPTURE(name);
    CHECK(serve::check_tls_policy(*tls_profile(name)));  // every name in the profiles is one OpenSSL knows
  }

  auto cmd = parse({"profile=Modern"});
  REQUIRE(cmd);
  CHECK(cmd->apply(intermediate) == modern);
  cmd = parse({"groups=X25519"});
  REQUIRE(cmd);
  const TlsPolicy changed = cmd->apply(intermediate);
  CHECK(changed.profile == "custom");
  CHECK(changed.groups == "X25519");
  CHECK(changed.ciphers == intermediate.ciphers);
  cmd = parse({"profile=intermediate", "preference=client"});  // the profile's own value: still the profile
  REQUIRE(cmd);
  CHECK(cmd->apply(modern).profile == "intermediate");
}

TEST_CASE("tls policy: what set tlspolicy refuses before OpenSSL sees it") {
  CHECK(parse({}).error().code == ErrorCode::MissingParameters);
  CHECK(parse({"profile=strict"}).error().detail.starts_with("profile 'strict' is not one of Mozilla's"));
  CHECK(parse({"groups="}).error().detail == "groups is empty; give a colon-separated list");
  CHECK(parse({"ciphers=HIGH !aNULL"}).error().detail.find("holds a blank") != std::string::npos);
  CHECK(parse({"sigalgs=RSA+SHA256\tRSA+SHA384"}).error().detail.find("holds a blank") != std::string::npos);
  CHECK(parse({"preference=either"}).error().detail.starts_with("preference 'either' is neither server"));
  CHECK(parse({"cipherz=HIGH"}).error().code == ErrorCode::InvalidParameter);
  CHECK(parse({"ciphers="}));  // TLS 1.3 only needs none; check_tls_policy says whether the protocols agree
}

TEST_CASE("tls policy: OpenSSL's names checked one by one, and every protocol given something to offer") {
  TlsPolicy p = default_tls_policy();
  CHECK(serve::check_tls_policy(p));
  p.ciphers = "HIGH:!aNULL:-kRSA:+AES256:@STRENGTH:@SECLEVEL=1";
  CHECK(serve::check_tls_policy(p));
  p.ciphers = "HIGH:!NOPE";
  CHECK(serve::check_tls_policy(p).error().detail.starts_with("ciphers: 'NOPE' is a cipher or cipher keyword"));
  p.ciphers = "HIGH::aNULL";
  CHECK(serve::check_tls_policy(p).error().detail.find("empty element") != std::string::npos);
  p.ciphers = "HIGH:@SECLEVEL=9";
  CHECK(serve::check_tls_policy(p).error().detail.starts_with("ciphers: '@SECLEVEL=9' is neither"));
  p = default_tls_policy();
  p.ciphers = "!HIGH";  // matches nothing left to offer for TLS 1.2
  CHECK(serve::check_tls_policy(p).error().detail.find("ciphers gives none for them") != std::string::npos);
  p = *tls_profile("modern");
  CHECK(serve::check_tls_policy(p));  // TLS 1.3 alone needs no TLS 1.2 list
  p.ciphersuites.clear();
  CHECK(serve::check_tls_policy(p).error().detail.find("ciphersuites is empty") != std::string::npos);
  p.protocols.clear();
  CHECK(serve::check_tls_policy(p).error().detail.starts_with("protocols is empty"));
}
