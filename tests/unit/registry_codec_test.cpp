#include <doctest/doctest.h>

#include "store/registry_codec.hpp"

using namespace sslbind;
using nlohmann::json;

namespace {

BindingSet sample() {
  BindingSet set;
  SslSettings s;
  s.certhash = *Thumbprint::parse("40db5bb1a2c3d4e5f60718293a4b5c6d7e8f9012");
  s.appid = *Guid::parse("{4dc3e181-e14b-4a21-b022-59fc669b0914}");
  s.flags = 0x8010;
  s.check_mode = 0x10005;
  s.revocation_freshness_time = 60;
  s.ctl_identifier = "Trusted issuers";
  s.ctl_store_name = "CA";
  REQUIRE(set.add({BindingKey::ip(*IpPort::parse("0.0.0.0:443")), s}));
  REQUIRE(set.add({BindingKey::ip(*IpPort::parse("[fe80::1]:443")), s}));
  s.certstorename = "WebHosting";
  REQUIRE(set.add({BindingKey::sni(*HostPort::parse("www.Contoso.com:443", "hostnameport")), s}));
  SslSettings ccs;
  ccs.appid = s.appid;
  REQUIRE(set.add({BindingKey::ccs(443), ccs}));
  REQUIRE(set.add({BindingKey::scoped_ccs(*HostPort::parse("shop.contoso.com:443", "scopedccs")), ccs}));
  return set;
}

json encoded(const BindingSet& set) {
  json doc = store::empty_document();
  store::encode_bindings(set, doc);
  return doc;
}

json& params(json& doc) {
  return doc["HKEY_LOCAL_MACHINE"]["SYSTEM"]["CurrentControlSet"]["Services"]["HTTP"]["Parameters"];
}

std::string decode_error(const json& doc) {
  auto r = store::decode_bindings(doc);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::RegistryUnreadable);
  return r.error().detail;
}

}  // namespace

TEST_CASE("the document mirrors the Windows registry layout and value names") {
  json doc = encoded(sample());
  CHECK(doc["schemaVersion"] == 1);
  json& p = params(doc);
  const json& ip = p["SslBindingInfo"]["0.0.0.0:443"];
  CHECK(ip["SslCertHash"] == json({{"type", "REG_BINARY"}, {"data", "40db5bb1a2c3d4e5f60718293a4b5c6d7e8f9012"}}));
  CHECK(ip["AppId"]["data"] == "81e1c34d4be1214ab02259fc669b0914");
  CHECK(ip["DefaultFlags"] == json({{"type", "REG_DWORD"}, {"data", 0x8010}}));
  CHECK(ip["DefaultSslCertCheckMode"]["data"] == 0x10005);
  CHECK_FALSE(ip.contains("SslCertStoreName"));
  CHECK(p["SslBindingInfo"].contains("[fe80::1]:443"));
  CHECK(p["SslSniBindingInfo"]["www.Contoso.com:443"]["HostnamePort"]["data"] == "www.Contoso.com:443");
  CHECK(p["SslSniBindingInfo"]["www.Contoso.com:443"]["SslCertStoreName"]["data"] == "WebHosting");
  CHECK_FALSE(p["SslCcsBindingInfo"]["0.0.0.0:443"].contains("SslCertHash"));
  CHECK(p["SslScopedCcsBindingInfo"].contains("shop.contoso.com:443"));
}

TEST_CASE("decode(encode(x)) == x") {
  const BindingSet original = sample();
  auto decoded = store::decode_bindings(encoded(original));
  REQUIRE(decoded);
  REQUIRE(decoded->size() == original.size());
  auto a = original.begin();
  for (auto b = decoded->begin(); b != decoded->end(); ++a, ++b) {
    CHECK(a->first.as_parameter() == b->first.as_parameter());
    CHECK(a->second.settings == b->second.settings);
  }
}

TEST_CASE("other keys of the document survive a rewrite") {
  json doc = encoded(sample());
  doc["HKEY_LOCAL_MACHINE"]["SOFTWARE"]["Microsoft"]["IIS"]["CentralCertProvider"]["Enabled"] = {{"type", "REG_DWORD"},
                                                                                                 {"data", 1}};
  store::encode_bindings(BindingSet{}, doc);
  CHECK(doc["HKEY_LOCAL_MACHINE"]["SOFTWARE"]["Microsoft"]["IIS"]["CentralCertProvider"]["Enabled"]["data"] == 1);
  CHECK(params(doc)["SslBindingInfo"].empty());
}

TEST_CASE("versions and shapes that are refused") {
  json doc = encoded(sample());
  doc["schemaVersion"] = 2;
  CHECK(decode_error(doc).find("schemaVersion 2 is not supported") != std::string::npos);
  doc.erase("schemaVersion");
  CHECK(decode_error(doc).find("schemaVersion is missing") != std::string::npos);
  CHECK(decode_error(json::array()).find("top level must be a JSON object") != std::string::npos);
  json broken = store::empty_document();
  broken["HKEY_LOCAL_MACHINE"]["SYSTEM"] = "x";
  CHECK(decode_error(broken).find("must be JSON objects") != std::string::npos);
}

TEST_CASE("damaged values are named by their registry path") {
  auto damaged = [](auto edit) {
    json doc = encoded(sample());
    edit(params(doc));
    return decode_error(doc);
  };
  CHECK(damaged([](json& p) { p["SslBindingInfo"]["0.0.0.0:443"]["SslCertHash"]["data"] = "abcd"; })
            .find("SslBindingInfo\\0.0.0.0:443\\SslCertHash: REG_BINARY data must be 20 bytes") != std::string::npos);
  CHECK(damaged([](json& p) { p["SslBindingInfo"]["0.0.0.0:443"]["DefaultFlags"]["data"] = -1; })
            .find("REG_DWORD data must be a number") != std::string::npos);
  CHECK(damaged([](json& p) { p["SslBindingInfo"]["0.0.0.0:443"]["DefaultFlags"]["type"] = "REG_SZ"; })
            .find("expected type REG_DWORD") != std::string::npos);
  CHECK(damaged([](json& p) { p["SslBindingInfo"]["0.0.0.0:443"].erase("AppId"); }).find("AppId value is missing") !=
        std::string::npos);
  CHECK(damaged([](json& p) { p["SslBindingInfo"]["0.0.0.0:443"]["Colour"] = 1; }).find("unknown value 'Colour'") !=
        std::string::npos);
  CHECK(damaged([](json& p) { p["SslBindingInfo"]["999.0.0.0:443"] = p["SslBindingInfo"]["0.0.0.0:443"]; })
            .find("above 255") != std::string::npos);
  CHECK(damaged([](json& p) { p["SslBindingInfo"]["[FE80::1]:443"] = p["SslBindingInfo"]["[fe80::1]:443"]; })
            .find("not in canonical form") != std::string::npos);
  CHECK(damaged([](json& p) {
          p["SslSniBindingInfo"]["WWW.CONTOSO.COM:443"] = p["SslSniBindingInfo"]["www.Contoso.com:443"];
        }).find("a second subkey for the same binding") != std::string::npos);
  CHECK(damaged([](json& p) {
          p["SslCcsBindingInfo"]["0.0.0.0:443"]["SslCertHash"] = p["SslBindingInfo"]["0.0.0.0:443"]["SslCertHash"];
        }).find("CCS binding has no SslCertHash") != std::string::npos);
}

TEST_CASE("a registry cut at any byte is refused cleanly, never crashes") {
  const std::string text = encoded(sample()).dump(1);
  std::size_t refused = 0;
  for (std::size_t n = 0; n < text.size(); ++n) {
    auto doc = store::parse_document(std::string_view(text).substr(0, n));
    if (!doc) {
      CHECK(doc.error().code == ErrorCode::RegistryUnreadable);
      ++refused;
      continue;
    }
    // A prefix that is still valid JSON (e.g. a bare number) must still be refused by the decoder.
    CHECK_FALSE(store::decode_bindings(*doc));
    ++refused;
  }
  CHECK(refused == text.size());
  CHECK(store::decode_bindings(*store::parse_document(text)));
}
