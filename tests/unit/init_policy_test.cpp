#include <doctest/doctest.h>

#include "core/init_policy.hpp"

using namespace sslbind;

TEST_SUITE("core::init_policy") {
  TEST_CASE("init adds the fallback and the CCS binding where the keys are free, and leaves taken keys alone") {
    const auto cert = *Thumbprint::parse("40db5bb1a2c3d4e5f60718293a4b5c6d7e8f9012");
    BindingSet set;
    auto first = init_policy::apply_init(set, init_policy::fallback_binding(cert));
    REQUIRE(first);
    REQUIRE(first->size() == 2);
    CHECK((*first)[0].added);
    CHECK((*first)[0].binding.key.as_parameter() == "ipport=0.0.0.0:443");
    CHECK((*first)[0].binding.settings.certstorename == "MY");
    CHECK((*first)[1].binding.key.as_parameter() == "ccs=443");
    CHECK((*first)[1].binding.settings.appid.str() == "{4dc3e181-e14b-4a21-b022-59fc669b0914}");

    // A replacement certificate bound since then stays.
    const auto replacement = *Thumbprint::parse("0102030405060708090a0b0c0d0e0f1011121314");
    REQUIRE(set.update(init_policy::fallback_binding(replacement)));
    auto again = init_policy::apply_init(set, init_policy::fallback_binding(cert));
    REQUIRE(again);
    CHECK_FALSE((*again)[0].added);
    CHECK_FALSE((*again)[1].added);
    CHECK((*again)[0].binding.settings.certhash == replacement);
  }

  TEST_CASE("a fallback key freed after init looked needs another run") {
    BindingSet set;
    auto r = init_policy::apply_init(set, std::nullopt);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::NotFound);
    CHECK(set.size() == 0);
  }

  TEST_CASE("only a Default certificate with its key, not expired, is reused") {
    CertificateInfo c;
    c.subject = "CN=Default";
    c.has_private_key = true;
    c.not_after = 2000;
    CHECK(init_policy::is_reusable_default(c, 1000));
    CHECK_FALSE(init_policy::is_reusable_default(c, 2000));
    c.has_private_key = false;
    CHECK_FALSE(init_policy::is_reusable_default(c, 1000));
    c.has_private_key = true;
    c.subject = "CN=Default2";
    CHECK_FALSE(init_policy::is_reusable_default(c, 1000));
  }
}
