#include <doctest/doctest.h>

#include "store/binding_codec.hpp"

using namespace sslbind;

TEST_SUITE("store::binding_codec") {
  TEST_CASE("every binding family survives encode and decode, key by key") {
    SslSettings s;
    s.certhash = *Thumbprint::parse("40db5bb1a2c3d4e5f60718293a4b5c6d7e8f9012");
    s.appid = *Guid::parse("{4dc3e181-e14b-4a21-b022-59fc669b0914}");
    s.flags = 0x8010;
    s.check_mode = 0x10005;
    s.revocation_freshness_time = 60;
    s.ctl_identifier = "Trusted issuers";
    s.certstorename = "WebHosting";
    SslSettings ccs;
    ccs.appid = s.appid;
    const Binding bindings[] = {
        {BindingKey::ip(*IpPort::parse("0.0.0.0:443")), s},
        {BindingKey::ip(*IpPort::parse("[fe80::1]:8443")), s},
        {BindingKey::sni(*HostPort::parse("www.Contoso.com:443", "hostnameport")), s},
        {BindingKey::ccs(443), ccs},
        {BindingKey::scoped_ccs(*HostPort::parse("shop.contoso.com:443", "scopedccs")), ccs},
    };
    for (const Binding& b : bindings) {
      CAPTURE(b.key.as_parameter());
      const auto record = store::encode_binding(b);
      auto back = store::decode_binding(record);
      REQUIRE(back);
      CHECK(back->key == b.key);
      CHECK(back->key.value() == b.key.value());  // the host keeps its spelling
      CHECK(back->settings == b.settings);
    }
    CHECK(store::encode_binding(bindings[0]).family == "SslBindingInfo");
    // Extended properties: written only when not the defaults, read back as they were.
    CHECK(store::encode_binding(bindings[0]).values.find("Http2") == std::string::npos);
    Binding tuned = bindings[2];
    tuned.extended.receive_window = 65535;
    tuned.extended.max_settings_per_minute = 0;
    const auto record = store::encode_binding(tuned);
    CHECK(record.values.find("\"Http2MaxSettingsPerFrame\"") == std::string::npos);
    auto back = store::decode_binding(record);
    REQUIRE(back);
    CHECK(back->extended == tuned.extended);
    // A receive window HTTP/2 cannot have is refused as any malformed value is.
    store::BindingRecord bad = record;
    bad.values.replace(bad.values.find("65535"), 5, "0");
    CHECK(store::decode_binding(bad).error().detail.find("receivewindow=0 is not an HTTP/2 flow-control window") !=
          std::string::npos);
    CHECK(store::encode_binding(bindings[2]).family == "SslSniBindingInfo");
    CHECK(store::encode_binding(bindings[3]).subkey == "0.0.0.0:443");
  }

  TEST_CASE("a record that is not a binding is refused with the key named") {
    SslSettings ccs;
    ccs.appid = *Guid::parse("{4dc3e181-e14b-4a21-b022-59fc669b0914}");
    auto record = store::encode_binding({BindingKey::ccs(443), ccs});
    auto refused = [](const store::BindingRecord& r) {
      auto d = store::decode_binding(r);
      REQUIRE_FALSE(d);
      CHECK(d.error().code == ErrorCode::RegistryUnreadable);
      return d.error().detail;
    };
    auto bad_family = record;
    bad_family.family = "SslFooBindingInfo";
    CHECK(refused(bad_family).find("SslFooBindingInfo") != std::string::npos);
    auto not_json = record;
    not_json.values = "{\"AppId\":";
    CHECK(refused(not_json).find("not a JSON object") != std::string::npos);
    auto no_appid = record;
    no_appid.values = "{}";
    CHECK(refused(no_appid).find("AppId") != std::string::npos);
    auto bad_key = record;
    bad_key.subkey = "10.0.0.1:443";  // a CCS binding's key is 0.0.0.0:<port>
    CHECK(refused(bad_key).find("SslCcsBindingInfo\\10.0.0.1:443") != std::string::npos);
    auto unknown_value = record;
    unknown_value.values.insert(1, "\"Colour\":{\"data\":1,\"type\":\"REG_DWORD\"},");
    CHECK(refused(unknown_value).find("Colour") != std::string::npos);
  }
}
