#include <doctest/doctest.h>

#include <vector>

#include "core/endpoint.hpp"
#include "store/etcd_layout.hpp"
#include "store/registry_codec.hpp"

using namespace sslbind;
namespace etcd = sslbind::store::etcd;

namespace {

const std::string kPrefix = etcd::prefix_of("web");

RegistryState two_bindings() {
  RegistryState state;
  SslSettings s;
  s.certhash = *Thumbprint::parse("40db5bb1a2c3d4e5f60718293a4b5c6d7e8f9012");
  s.appid = *Guid::parse("{4dc3e181-e14b-4a21-b022-59fc669b0914}");
  s.certstorename = "MY";
  REQUIRE(state.bindings.add({BindingKey::ip(*IpPort::parse("0.0.0.0:443")), s}));
  REQUIRE(state.bindings.add({BindingKey::sni(*HostPort::parse("www.Contoso.com:443", "hostnameport")), s}));
  return state;
}

}  // namespace

TEST_CASE("etcd keys: a binding's key is its family and lower-cased subkey, and its value starts with the spelling") {
  const auto keys = etcd::encode(kPrefix, two_bindings(), store::empty_document());
  REQUIRE(keys.contains(kPrefix + "bindings/SslSniBindingInfo/www.contoso.com:443"));
  CHECK(keys.at(kPrefix + "bindings/SslSniBindingInfo/www.contoso.com:443").starts_with("www.Contoso.com:443\n"));
  CHECK(keys.contains(kPrefix + "bindings/SslBindingInfo/0.0.0.0:443"));

  const auto name = etcd::name_of(kPrefix, kPrefix + "bindings/SslSniBindingInfo/www.contoso.com:443");
  CHECK(name.kind == etcd::KeyName::Kind::Binding);
  CHECK(name.family == "SslSniBindingInfo");
  CHECK(name.subkey == "www.contoso.com:443");
  const std::string key = kPrefix + "bindings/SslSniBindingInfo/www.contoso.com:443";
  auto binding = etcd::decode_binding_key(name, key, keys.at(key));
  REQUIRE(binding);
  CHECK(binding_subkey_name(binding->key) == "www.Contoso.com:443");
}

TEST_CASE("etcd keys: a farm whose settings are all defaults has no config key, one with settings has it") {
  RegistryState state = two_bindings();
  CHECK_FALSE(etcd::encode(kPrefix, state, store::empty_document()).contains(kPrefix + "config"));
  CHECK_FALSE(etcd::encode(kPrefix, state, nlohmann::json()).contains(kPrefix + "config"));

  state.ip_listen.push_back(*IpAddress::parse("10.0.0.5", "ipaddress"));
  const auto keys = etcd::encode(kPrefix, state, store::empty_document());
  REQUIRE(keys.contains(kPrefix + "config"));
  RegistryState back;
  nlohmann::json rest;
  REQUIRE(etcd::decode_config(kPrefix + "config", keys.at(kPrefix + "config"), back, rest));
  CHECK(back.ip_listen == state.ip_listen);
  CHECK(back.bindings.size() == 0);  // the config key never carries bindings: they have keys of their own
}

TEST_CASE("etcd keys: names outside the layout are foreign, and a value under another name is refused") {
  for (const std::string& key : std::vector<std::string>{
           "/sslbind/v1/other/config", kPrefix + "bindings/", kPrefix + "bindings/SslBindingInfo",
           kPrefix + "bindings/SslBindingInfo/", kPrefix + "bindings//x", kPrefix + "configs", kPrefix + "Revision"}) {
    CAPTURE(key);
    CHECK(etcd::name_of(kPrefix, key).kind == etcd::KeyName::Kind::Foreign);
  }
  CHECK(etcd::name_of(kPrefix, kPrefix + "revision").kind == etcd::KeyName::Kind::Counter);
  CHECK(etcd::name_of(kPrefix, kPrefix + "tickets").kind == etcd::KeyName::Kind::Tickets);

  const auto keys = etcd::encode(kPrefix, two_bindings(), store::empty_document());
  const std::string real = kPrefix + "bindings/SslBindingInfo/0.0.0.0:443";
  const std::string moved = kPrefix + "bindings/SslBindingInfo/0.0.0.0:8443";
  auto refused = etcd::decode_binding_key(etcd::name_of(kPrefix, moved), moved, keys.at(real));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::RegistryUnreadable);
  CHECK(refused.error().detail.find(moved) != std::string::npos);
  CHECK_FALSE(etcd::decode_binding_key(etcd::name_of(kPrefix, real), real, "0.0.0.0:443"));  // no line end
  CHECK_FALSE(etcd::decode_binding_key(etcd::name_of(kPrefix, real), real, "0.0.0.0:443\n{not json"));
}

TEST_CASE("etcd keys: a damaged config value is refused naming its key") {
  RegistryState state;
  nlohmann::json rest;
  auto s = etcd::decode_config(kPrefix + "config", "{\"schemaVersion\":", state, rest);
  REQUIRE_FALSE(s);
  CHECK(s.error().detail.find(kPrefix + "config") != std::string::npos);
}
