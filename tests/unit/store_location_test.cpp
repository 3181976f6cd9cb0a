// --store's text: the file by default, etcd://HOST:PORT[,HOST:PORT...]/FARM, and each way it can be wrong.
#include "core/store_location.hpp"

#include <doctest/doctest.h>

using namespace sslbind;

TEST_CASE("store location: the file, one endpoint, several, IPv6, the default port") {
  CHECK(parse_store_location("")->kind == StoreLocation::Kind::File);
  auto one = parse_store_location("etcd://127.0.0.1:2379/web");
  REQUIRE(one);
  CHECK(one->kind == StoreLocation::Kind::Etcd);
  CHECK(one->farm == "web");
  REQUIRE(one->endpoints.size() == 1);
  CHECK(one->endpoints[0].str() == "127.0.0.1:2379");
  auto many = parse_store_location("etcd://etcd-a.internal,[::1]:12379,10.0.0.3:2379/front-end_1.prod");
  REQUIRE(many);
  REQUIRE(many->endpoints.size() == 3);
  CHECK(many->endpoints[0].host == "etcd-a.internal");
  CHECK(many->endpoints[0].port == 2379);
  CHECK(many->endpoints[1].host == "::1");
  CHECK(many->endpoints[1].str() == "[::1]:12379");
  CHECK(many->farm == "front-end_1.prod");
  CHECK_FALSE(many->tls);
  auto secure = parse_store_location("etcds://etcd.internal:2379/web");
  REQUIRE(secure);
  CHECK(secure->tls);
  CHECK(secure->endpoints[0].host == "etcd.internal");
}

TEST_CASE("store location: each malformed form names the rule") {
  const std::pair<const char*, const char*> cases[] = {
      {"http://127.0.0.1:2379/web", "does not start with etcd://"},
      {"etcd://127.0.0.1:2379", "names no farm"},
      {"etcd://127.0.0.1:2379/", "1 to 64 characters"},
      {"etcd://127.0.0.1:2379/a/b", "letters, digits"},
      {"etcd://127.0.0.1:2379/..", "not . or .."},
      {"etcd://127.0.0.1:0/web", "is not 1-65535"},
      {"etcd://127.0.0.1:65536/web", "is not 1-65535"},
      {"etcd://127.0.0.1:x/web", "is not 1-65535"},
      {"etcd://::1:2379/web", "in brackets"},
      {"etcd://[::1/web", "closing ]"},
      {"etcd://[::1]2379/web", "after a colon"},
      {"etcd://,127.0.0.1/web", "without a host"},
      {"etcd://ho st/web", "not a name or an address"},
      {"etcd://[host]:1/web", "not a name or an address"},
  };
  for (const auto& c : cases) {
    const std::string text = c.first, rule = c.second;  // clang 14: INFO cannot name a structured binding
    auto r = parse_store_location(text);
    INFO(text);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::InvalidParameter);
    CHECK(r.error().detail.find(rule) != std::string::npos);
    CHECK(r.error().detail.find(text) != std::string::npos);
  }
  std::string farm(65, 'a');
  CHECK_FALSE(parse_store_location("etcd://h/" + farm));
  CHECK(parse_store_location("etcd://h/" + farm.substr(1)));
}
