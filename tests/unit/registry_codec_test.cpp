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

std::string written(const BindingSet& set, json doc = store::empty_document()) {
  return store::write_registry(RegistryState{set, std::nullopt, {}}, doc);
}

json encoded(const BindingSet& set) { return json::parse(written(set)); }

Result<RegistryState> read(const std::string& text) {
  json rest;
  return store::read_registry(text, rest);
}

json& params(json& doc) {
  return doc["HKEY_LOCAL_MACHINE"]["SYSTEM"]["CurrentControlSet"]["Services"]["HTTP"]["Parameters"];
}

// The document's text with schemaVersion first, as sslbind writes it: bindings are then decoded while the file is
// read. nlohmann's dump() puts it last (keys sorted), which makes the reader decode them from the tree instead.
std::string version_first(const json& doc) {
  if (!doc.is_object() || !doc.contains("schemaVersion")) return doc.dump();
  json rest = doc;
  rest.erase("schemaVersion");
  const std::string tail = rest.dump();
  return "{\"schemaVersion\":" + doc["schemaVersion"].dump() + (tail == "{}" ? "}" : "," + tail.substr(1));
}

// Both ways of reading must refuse the document with the same error.
std::string decode_error(const json& doc) {
  auto in_tree = read(doc.dump());
  auto in_pass = read(version_first(doc));
  REQUIRE_FALSE(in_tree);
  REQUIRE_FALSE(in_pass);
  CHECK(in_tree.error().code == ErrorCode::RegistryUnreadable);
  CHECK(in_pass.error().detail == in_tree.error().detail);
  return in_tree.error().detail;
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
  CHECK_FALSE(ip.contains("DefaultSslRevocationUrlRetrievalTimeout"));  // 0 is left out
  CHECK_FALSE(ip.contains("SslCertStoreName"));
  CHECK(p["SslBindingInfo"].contains("[fe80::1]:443"));
  CHECK(p["SslSniBindingInfo"]["www.Contoso.com:443"]["HostnamePort"]["data"] == "www.Contoso.com:443");
  CHECK(p["SslSniBindingInfo"]["www.Contoso.com:443"]["SslCertStoreName"]["data"] == "WebHosting");
  CHECK_FALSE(p["SslCcsBindingInfo"]["0.0.0.0:443"].contains("SslCertHash"));
  CHECK(p["SslScopedCcsBindingInfo"].contains("shop.contoso.com:443"));
}

TEST_CASE("decode(encode(x)) == x") {
  const BindingSet original = sample();
  auto decoded = read(written(original));
  REQUIRE(decoded);
  REQUIRE(decoded->bindings.size() == original.size());
  auto a = original.begin();
  for (auto b = decoded->bindings.begin(); b != decoded->bindings.end(); ++a, ++b) {
    CHECK(a->first.as_parameter() == b->first.as_parameter());
    CHECK(a->second.settings == b->second.settings);
  }
}

TEST_CASE("other keys of the document survive a rewrite, one binding per line") {
  json doc = encoded(sample());
  doc["HKEY_LOCAL_MACHINE"]["SOFTWARE"]["Vendor"]["Setting"] = {{"type", "REG_DWORD"}, {"data", 1}};
  params(doc)["EnableNonSsl"] = {{"type", "REG_DWORD"}, {"data", 1}};
  json rest;
  auto state = store::read_registry(doc.dump(), rest);
  REQUIRE(state);
  CHECK(state->bindings.size() == 5);
  state->bindings = BindingSet{};
  const json rewritten = json::parse(store::write_registry(*state, rest));
  CHECK(rewritten["HKEY_LOCAL_MACHINE"]["SOFTWARE"]["Vendor"]["Setting"]["data"] == 1);
  CHECK(params(const_cast<json&>(rewritten))["EnableNonSsl"]["data"] == 1);
  CHECK(
      rewritten["HKEY_LOCAL_MACHINE"]["SYSTEM"]["CurrentControlSet"]["Services"]["HTTP"]["Parameters"]["SslBindingInfo"]
          .empty());
  const std::string text = written(sample());
  CHECK(text.starts_with("{\"schemaVersion\":1,\n"));
  CHECK(text.find("\n\"0.0.0.0:443\":{\"AppId\":") != std::string::npos);
  CHECK(text.find("\n\"[fe80::1]:443\":{") != std::string::npos);
}

TEST_CASE("a document written by another tool, schemaVersion last and indented, reads the same") {
  json doc = encoded(sample());
  const std::string indented = doc.dump(2);  // nlohmann sorts keys: schemaVersion comes after HKEY_LOCAL_MACHINE
  REQUIRE(indented.find("schemaVersion") > indented.find("HKEY_LOCAL_MACHINE"));
  auto state = read(indented);
  REQUIRE(state);
  CHECK(state->bindings.size() == 5);
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
  CHECK(damaged([](json& p) {
          p["SslBindingInfo"]["0.0.0.0:443"]["SslCertHash"]["data"] = "abcd";
        }).find("SslBindingInfo\\0.0.0.0:443\\SslCertHash: REG_BINARY data must be 20 bytes") != std::string::npos);
  CHECK(damaged([](json& p) {
          p["SslBindingInfo"]["0.0.0.0:443"]["DefaultFlags"]["data"] = -1;
        }).find("REG_DWORD data must be a number") != std::string::npos);
  CHECK(damaged([](json& p) {
          p["SslBindingInfo"]["0.0.0.0:443"]["DefaultFlags"]["type"] = "REG_SZ";
        }).find("expected type REG_DWORD") != std::string::npos);
  CHECK(damaged([](json& p) { p["SslBindingInfo"]["0.0.0.0:443"].erase("AppId"); }).find("AppId value is missing") !=
        std::string::npos);
  CHECK(damaged([](json& p) { p["SslBindingInfo"]["0.0.0.0:443"]["Colour"] = 1; }).find("unknown value 'Colour'") !=
        std::string::npos);
  CHECK(damaged([](json& p) {
          p["SslBindingInfo"]["999.0.0.0:443"] = p["SslBindingInfo"]["0.0.0.0:443"];
        }).find("above 255") != std::string::npos);
  CHECK(damaged([](json& p) {
          p["SslBindingInfo"]["[FE80::1]:443"] = p["SslBindingInfo"]["[fe80::1]:443"];
        }).find("not in canonical form") != std::string::npos);
  CHECK(damaged([](json& p) {
          p["SslSniBindingInfo"]["WWW.CONTOSO.COM:443"] = p["SslSniBindingInfo"]["www.Contoso.com:443"];
        }).find("a second subkey for the same binding") != std::string::npos);
  CHECK(damaged([](json& p) {
          p["SslCcsBindingInfo"]["0.0.0.0:443"]["SslCertHash"] = p["SslBindingInfo"]["0.0.0.0:443"]["SslCertHash"];
        }).find("CCS binding has no SslCertHash") != std::string::npos);
  // Shapes the one-pass reader meets inside a binding subkey.
  const std::string shape = "a value must be {\"type\": ..., \"data\": ...}";
  CHECK(damaged([](json& p) { p["SslBindingInfo"]["0.0.0.0:443"]["AppId"] = "81e1c34d"; }).find(shape) !=
        std::string::npos);
  CHECK(damaged([](json& p) {
          p["SslBindingInfo"]["0.0.0.0:443"]["AppId"] = json::array({1, 2});
        }).find(shape) != std::string::npos);
  CHECK(damaged([](json& p) { p["SslBindingInfo"]["0.0.0.0:443"]["AppId"]["extra"] = 1; }).find(shape) !=
        std::string::npos);
  CHECK(damaged([](json& p) {
          p["SslBindingInfo"]["0.0.0.0:443"]["AppId"]["data"] = json::object({{"x", 1}});
        }).find("REG_BINARY data must be 16 bytes") != std::string::npos);
  CHECK(damaged([](json& p) { p["SslBindingInfo"]["0.0.0.0:443"]["AppId"]["type"] = 3; }).find(shape) !=
        std::string::npos);
  CHECK(damaged([](json& p) {
          p["SslBindingInfo"]["0.0.0.0:443"] = json::object();
        }).find("SslCertHash value is missing") != std::string::npos);
  CHECK(damaged([](json& p) {
          p["SslBindingInfo"]["0.0.0.0:443"]["DefaultFlags"]["data"] = json::array({1});
        }).find("REG_DWORD data must be a number") != std::string::npos);
  CHECK(damaged([](json& p) { p["SslBindingInfo"]["0.0.0.0:443"] = "x"; }).find("must be a JSON object") !=
        std::string::npos);
  CHECK(damaged([](json& p) { p["SslBindingInfo"] = json::array(); }).find("must be a JSON object") !=
        std::string::npos);
}

TEST_CASE("a registry cut at any byte is refused cleanly, never crashes") {
  const std::string text = written(sample());
  REQUIRE(text.ends_with("}\n"));
  for (std::size_t n = 0; n + 1 < text.size(); ++n) {  // all but the final line end, without which it is whole
    // A prefix that is still valid JSON (e.g. a bare number) must be refused too.
    auto r = read(text.substr(0, n));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::RegistryUnreadable);
  }
  CHECK(read(text));
}

TEST_CASE("web farms and routes are written under HKLM\\SOFTWARE\\sslbind and read back, checked") {
  RegistryState state{sample(), std::nullopt, {}};
  WebFarm www;
  www.name = "Www";
  www.servers = *parse_servers("10.0.0.1:80,[fd00::1]:8080");
  www.health_check = "/health";
  www.load_balance = LoadBalance::LeastRequests;
  www.arr_ssl = false;
  REQUIRE(state.farms.add_farm(www));
  REQUIRE(state.farms.add_route("*.contoso.com", "www"));
  json doc = store::empty_document();
  const std::string text = store::write_registry(state, doc);
  const json written_doc = json::parse(text);
  const json& farm = written_doc["HKEY_LOCAL_MACHINE"]["SOFTWARE"]["sslbind"]["WebFarms"]["Www"];
  CHECK(farm["Servers"] == json({{"data", {"10.0.0.1:80", "[fd00::1]:8080"}}, {"type", "REG_MULTI_SZ"}}));
  CHECK(farm["ArrSsl"]["data"] == 0);
  CHECK(written_doc["HKEY_LOCAL_MACHINE"]["SOFTWARE"]["sslbind"]["Routes"]["*.contoso.com"]["WebFarm"]["data"] ==
        "Www");
  auto back = read(text);
  REQUIRE(back);
  CHECK(back->farms == state.farms);
  // Without farms the key is not created, so a registry from before keeps its shape.
  CHECK(written(sample()).find("sslbind") == std::string::npos);

  auto damaged = [&](auto edit) {
    json d = written_doc;
    edit(d["HKEY_LOCAL_MACHINE"]["SOFTWARE"]["sslbind"]);
    return decode_error(d);
  };
  CHECK(damaged([](json& k) {
          k["WebFarms"]["Www"]["Servers"]["data"] = json::array();
        }).find("WebFarms\\Www: the Servers value is missing or empty") != std::string::npos);
  CHECK(damaged([](json& k) { k["WebFarms"]["Www"]["Servers"]["data"] = {"10.0.0.1"}; }).find("needs a port") !=
        std::string::npos);
  CHECK(damaged([](json& k) {
          k["WebFarms"]["Www"]["Servers"]["data"] = "10.0.0.1:80";
        }).find("REG_MULTI_SZ data must be an array of strings") != std::string::npos);
  CHECK(damaged([](json& k) {
          k["WebFarms"]["Www"]["LoadBalance"]["data"] = "random";
        }).find("loadbalance=random is not an algorithm") != std::string::npos);
  CHECK(damaged([](json& k) {
          k["Routes"]["*.contoso.com"]["WebFarm"]["data"] = "gone";
        }).find("Routes\\*.contoso.com: webfarm gone does not exist") != std::string::npos);
  CHECK(damaged([](json& k) { k["Routes"]["WWW.A.COM"] = k["Routes"]["*.contoso.com"]; }).find("not in lower case") !=
        std::string::npos);
  CHECK(damaged([](json& k) { k["WebFarms"]["bad name"] = k["WebFarms"]["Www"]; }).find("is not a farm name") !=
        std::string::npos);
}

TEST_CASE("the IP listen list and the TLS policy are written where Windows and sslbind keep them, and read back") {
  RegistryState state;
  state.ip_listen = {*IpAddress::parse("10.0.0.5", "IP"), *IpAddress::parse("::", "IP")};
  TlsPolicy policy = *tls_profile("old");
  policy.groups = "X25519";
  policy.profile = "custom";
  policy.ocsp_stapling_for_sni = true;
  state.tls_policy = policy;
  json doc = store::empty_document();
  const std::string text = store::write_registry(state, doc);
  const json parsed = json::parse(text);
  const json& params = parsed["HKEY_LOCAL_MACHINE"]["SYSTEM"]["CurrentControlSet"]["Services"]["HTTP"]["Parameters"];
  CHECK(params["ListenOnlyList"] == json({{"type", "REG_MULTI_SZ"}, {"data", {"10.0.0.5", "::"}}}));
  const json& key = parsed["HKEY_LOCAL_MACHINE"]["SOFTWARE"]["sslbind"]["TlsPolicy"];
  CHECK(key["Profile"]["data"] == "custom");
  CHECK(key["Protocols"]["data"] == json::array({"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}));
  CHECK(key["ServerPreference"]["data"] == 1);
  CHECK(key["EnableOcspStaplingForSni"]["data"] == 1);
  auto back = read(text);
  REQUIRE(back);
  CHECK(back->ip_listen == state.ip_listen);
  CHECK(back->tls_policy == state.tls_policy);
  // Damaged values are named by their path.
  for (const auto& [from, to, message] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"\"10.0.0.5\"", "\"10.0.0.300\"", "HTTP\\Parameters\\ListenOnlyList: IP address '10.0.0.300'"},
           {"\"::\"]", "\"10.0.0.5\"]", "ListenOnlyList: ipaddress 10.0.0.5 is already in the IP listen list"},
           {"\"TLSv1.1\"", "\"SSLv3\"", "TlsPolicy\\Protocols: protocols: 'sslv3' is not a protocol"},
           {"\"custom\"", "\"paranoid\"", "TlsPolicy\\Profile: unknown profile 'paranoid'"},
       }) {
    std::string damaged = text;
    REQUIRE(damaged.find(from) != std::string::npos);
    damaged.replace(damaged.find(from), from.size(), to);
    auto r = read(damaged);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::RegistryUnreadable);
    CHECK_MESSAGE(r.error().detail.find(message) != std::string::npos, r.error().detail);
  }
}

// Found by fuzz_registry: a document without the HTTP Parameters key, written with an empty IP listen list.
TEST_CASE("a document without HTTP\\Parameters is written and read back") {
  json rest;
  auto state = store::read_registry("{\"schemaVersion\":1}\n", rest);
  REQUIRE(state);
  const std::string written = store::write_registry(*state, rest);
  json again_rest;
  auto again = store::read_registry(written, again_rest);
  REQUIRE(again);
  CHECK(again->bindings.size() == 0);
  CHECK(again->ip_listen.empty());
}
