#include <doctest/doctest.h>

#include <vector>

#include "core/invocation.hpp"
#include "core/parameters.hpp"
#include "core/sslcert_command.hpp"

using namespace sslbind;

namespace {

const std::string kHash = "certhash=0102030405060708090A0B0C0D0E0F1011121314";
const std::string kApp = "appid={4dc3e181-e14b-4a21-b022-59fc669b0914}";

constexpr std::string_view kObjects[] = {"sslcert", "cert", "ccs"};
constexpr std::string_view kTools[] = {"init", "resolve"};

Result<Invocation> parse(std::vector<std::string> words) { return parse_invocation(words, {kObjects, kTools}); }

// The whole line read as the cli reads it: the invocation, then the sslcert parameters.
Result<SslCertCommand> parse_sslcert(std::vector<std::string> words) {
  auto r = parse(std::move(words));
  if (!r) return r.error();
  const auto& object = std::get<ObjectWords>(*r);
  REQUIRE(object.object == "sslcert");
  return parse_sslcert_arguments(object.verb, object.arguments);
}

SslCertCommand command(std::vector<std::string> words) {
  auto r = parse_sslcert(std::move(words));
  REQUIRE(r);
  return *r;
}

Error failure(std::vector<std::string> words) {
  auto r = parse_sslcert(std::move(words));
  REQUIRE_FALSE(r);
  return r.error();
}

}  // namespace

TEST_CASE("verbs and nouns: http prefix optional, any case, unique prefixes") {
  CHECK(command({"http", "add", "sslcert", "ipport=0.0.0.0:443", kHash, kApp}).verb == Verb::Add);
  CHECK(command({"ADD", "SSLCERT", "IPPORT=0.0.0.0:443", "CERTHASH=0102030405060708090a0b0c0d0e0f1011121314",
                 "AppId={4dc3e181-e14b-4a21-b022-59fc669b0914}"})
            .verb == Verb::Add);
  CHECK(command({"sh", "ssl"}).verb == Verb::Show);
  CHECK(command({"d", "sslcert", "ccs=443"}).verb == Verb::Delete);
  CHECK(failure({"frob", "sslcert"}).code == ErrorCode::UnknownCommand);
  CHECK(failure({"add", "urlacl"}).code == ErrorCode::UnknownCommand);
  CHECK(failure({"add", "ss"}).code == ErrorCode::UnknownCommand);
}

TEST_CASE("help anywhere asks for the usage") {
  CHECK(std::get<HelpRequest>(*parse({})).verb == std::nullopt);
  CHECK(std::get<HelpRequest>(*parse({"help"})).verb == std::nullopt);
  CHECK(std::get<HelpRequest>(*parse({"add", "sslcert", "?"})).verb == Verb::Add);
  CHECK(std::get<HelpRequest>(*parse({"show", "help"})).verb == Verb::Show);
}

TEST_CASE("add: every parameter is read into the settings") {
  auto c = command({"add",
                    "sslcert",
                    "ipport=[::]:443",
                    kHash,
                    kApp,
                    "certstorename=WebHosting",
                    "verifyclientcertrevocation=disable",
                    "verifyrevocationwithcachedclientcertonly=enable",
                    "usagecheck=DISABLE",
                    "revocationfreshnesstime=60",
                    "urlretrievaltimeout=1000",
                    "sslctlidentifier=Trusted",
                    "sslctlstorename=CA",
                    "dsmapperusage=enable",
                    "clientcertnegotiation=enable",
                    "reject=enable",
                    "disablehttp2=enable",
                    "disablequic=enable",
                    "disablelegacytls=enable",
                    "disabletls12=enable",
                    "disabletls13=enable",
                    "disableocspstapling=enable",
                    "enabletokenbinding=enable",
                    "logextendedevents=enable",
                    "enablesessionticket=enable",
                    "disablesessionid=enable"});
  CHECK(c.key->as_parameter() == "ipport=[::]:443");
  CHECK(c.settings.certstorename == "WebHosting");
  CHECK(c.settings.check_mode == (0x1u | 0x2u | 0x4u | 0x10000u));
  CHECK(c.settings.revocation_freshness_time == 60);
  CHECK(c.settings.url_retrieval_timeout == 1000);
  CHECK(c.settings.ctl_identifier == "Trusted");
  CHECK(c.settings.ctl_store_name == "CA");
  CHECK(c.settings.flags ==
        (0x1u | 0x2u | 0x8u | 0x10u | 0x20u | 0x40u | 0x80u | 0x100u | 0x200u | 0x400u | 0x800u | 0x1000u | 0x4000u));
}

TEST_CASE("defaults: nothing set, store name absent") {
  auto c = command({"add", "sslcert", "ipport=0.0.0.0:443", kHash, kApp});
  CHECK(c.settings.check_mode == 0);
  CHECK(c.settings.flags == 0);
  CHECK_FALSE(c.settings.certstorename);
  CHECK(toggle_enabled(*find_parameter("usagecheck"), c.settings));
  CHECK(toggle_enabled(*find_parameter("verifyclientcertrevocation"), c.settings));
  CHECK_FALSE(toggle_enabled(*find_parameter("disablehttp2"), c.settings));
}

TEST_CASE("which parameters each key form requires or refuses") {
  CHECK(failure({"add", "sslcert", kHash, kApp}).code == ErrorCode::MissingParameters);
  CHECK(failure({"add", "sslcert", "ipport=0.0.0.0:443", kHash}).detail == "add sslcert needs appid=<GUID>");
  CHECK(failure({"add", "sslcert", "ipport=0.0.0.0:443", kApp}).detail ==
        "add sslcert with ipport= needs certhash=<thumbprint>");
  CHECK(failure({"update", "sslcert", "hostnameport=www.contoso.com:443", kHash, kApp}).detail ==
        "update sslcert with hostnameport= needs certstorename=<store>, e.g. MY or WebHosting");
  CHECK(command({"add", "sslcert", "ccs=443", kApp}).key->kind() == KeyKind::Ccs);
  CHECK(command({"add", "sslcert", "scopedccs=www.contoso.com:443", kApp}).key->kind() == KeyKind::ScopedCcs);
  const auto ccs_hash = failure({"add", "sslcert", "ccs=443", kApp, kHash});
  CHECK(ccs_hash.code == ErrorCode::InvalidParameter);
  CHECK(ccs_hash.detail.find("certhash= is not used with ccs=") != std::string::npos);
  CHECK(failure({"add", "sslcert", "scopedccs=a.b:443", kApp, "certstorename=MY"}).detail.find("certstorename=") !=
        std::string::npos);
  CHECK(failure({"delete", "sslcert"}).code == ErrorCode::MissingParameters);
  CHECK(failure({"delete", "sslcert", "ccs=443", kApp}).detail ==
        "appid= is not used by delete sslcert, which takes only the binding key");
  CHECK(failure({"show", "sslcert", "ccs=443", kHash}).code == ErrorCode::InvalidParameter);
  CHECK_FALSE(command({"show", "sslcert"}).key);
  CHECK(command({"show", "sslcert", "json=enable"}).json);
}

TEST_CASE("tags shortened as netsh's token matching allows, and values in netsh's positional order") {
  auto c = command({"add", "sslcert", "ipp=0.0.0.0:443", "CERTH=" + std::string(kHash).substr(9),
                    "appi=" + std::string(kApp).substr(6)});
  REQUIRE(c.key);
  CHECK(c.key->as_parameter() == "ipport=0.0.0.0:443");
  CHECK(c.settings.certhash);
  c = command(
      {"add", "sslcert", "0.0.0.0:443", std::string(kHash).substr(9), std::string(kApp).substr(6), "WebHosting"});
  CHECK(c.key->as_parameter() == "ipport=0.0.0.0:443");
  CHECK(c.settings.certstorename == "WebHosting");
  c = command({"delete", "sslcert", "0.0.0.0:443"});
  CHECK(c.key->as_parameter() == "ipport=0.0.0.0:443");
  c = command({"delete", "sslcert", "h=www.contoso.com:443"});  // delete takes only keys: h is hostnameport
  CHECK(c.key->as_parameter() == "hostnameport=www.contoso.com:443");
  CHECK(failure({"add", "sslcert", "ipport=0.0.0.0:443", kHash, kApp, "disabletls1=enable"}).detail ==
        "'disabletls1' is short for more than one parameter of add sslcert: disabletls12, disabletls13; give more of "
        "the name");
  CHECK(failure({"add", "sslcert", "c=443", kApp}).detail ==
        "'c' is short for more than one parameter of add sslcert: ccs, certhash, certstorename, "
        "clientcertnegotiation; give more of the name");
  CHECK(failure({"delete", "sslcert", "ipport=0.0.0.0:443", "certh=" + std::string(kHash).substr(9)}).detail ==
        "certhash= is not used by delete sslcert, which takes only the binding key");
  // A value without a tag takes the tag of its own position, given or not.
  CHECK(failure({"add", "sslcert", "0.0.0.0:443", "appid=" + std::string(kApp).substr(6), "x"}).detail ==
        "appid= is given twice");
}

TEST_CASE("argument-level errors") {
  CHECK(failure({"add", "sslcert", "ipport=0.0.0.0:443", "ccs=443", kHash, kApp}).detail ==
        "give one binding key, not both ipport= and ccs=");
  CHECK(failure({"add", "sslcert", "ipport=0.0.0.0:443", kHash, kApp, kApp}).detail == "appid= is given twice");
  CHECK(failure({"add", "sslcert", "ipport=0.0.0.0:443", kHash, kApp, "AppID={4dc3e181-e14b-4a21-b022-59fc669b0914}"})
            .detail == "appid= is given twice");
  CHECK(failure({"delete", "sslcert", "0.0.0.0:443", "ipport"}).detail ==
        "'ipport' has no tag, and delete sslcert takes no value without one at position 2; write it as tag=value, "
        "e.g. ipport=0.0.0.0:443");
  CHECK(failure({"add", "sslcert", "colour=blue"}).detail ==
        "'colour' is not a parameter of add sslcert; see 'sslbind add sslcert help'");
  CHECK(failure({"add", "sslcert", "ipport=0.0.0.0:443", kHash, kApp, "reject=yes"}).detail ==
        "reject 'yes' is neither enable nor disable");
  CHECK(failure({"add", "sslcert", "ipport=0.0.0.0:443", kHash, kApp, "urlretrievaltimeout=4294967296"}).detail ==
        "urlretrievaltimeout '4294967296' is above 4294967295; it takes an unsigned 32-bit number");
  CHECK(failure({"add", "sslcert", "ipport=0.0.0.0:443", kHash, kApp, "revocationfreshnesstime=-1"}).detail ==
        "revocationfreshnesstime '-1' is not a decimal number; it takes an unsigned 32-bit number");
  CHECK(failure({"add", "sslcert", "ipport=0.0.0.0:443", kHash, kApp, "certstorename="}).detail ==
        "certstorename is empty; give a store name such as MY or WebHosting");
  CHECK(failure({"add", "sslcert", "ipport=0.0.0.0:443", kHash, kApp, "certstorename=../etc"})
            .detail.find("path separator") != std::string::npos);
  CHECK(failure({"add", "sslcert", "ipport=0.0.0.0:443", kHash, kApp, "certstorename=.."}).code ==
        ErrorCode::InvalidParameter);
  CHECK(failure({"add", "sslcert", "ipport=0.0.0.0:443", kHash, kApp, "sslctlidentifier=" + std::string(257, 'a')})
            .detail.find("longer than 256") != std::string::npos);
  CHECK(failure({"add", "sslcert", "ipport=0.0.0.0:443", kHash, kApp, "json=c:\\x.json"})
            .detail.find("not supported by add sslcert") != std::string::npos);
  CHECK(failure({"show", "sslcert", "json=maybe"}).code == ErrorCode::InvalidParameter);
}

TEST_CASE("revocationfreshnesstime=0 leaves the freshness bit clear") {
  auto c = command({"add", "sslcert", "ipport=0.0.0.0:443", kHash, kApp, "revocationfreshnesstime=0"});
  CHECK(c.settings.check_mode == 0);
}

TEST_CASE("a short object name is matched among the objects of its verb") {
  constexpr std::string_view objects[] = {"sslcert", "sslpropertyex", "ccs"};
  constexpr auto takes = [](Verb verb, std::string_view object) {
    return object != "sslpropertyex" || verb == Verb::Update;
  };
  const auto object_of = [&](std::vector<std::string> words) -> std::string {
    auto r = parse_invocation(words, {objects, {}, takes});
    return r ? std::string(std::get<ObjectWords>(*r).object) : "error";
  };
  CHECK(object_of({"show", "ssl"}) == "sslcert");
  CHECK(object_of({"add", "ssl"}) == "sslcert");
  CHECK(object_of({"update", "ssl"}) == "error");
  CHECK(object_of({"update", "sslp"}) == "sslpropertyex");
  CHECK(object_of({"update", "sslcert"}) == "sslcert");
}

TEST_CASE("update sslpropertyex: one property id and its values") {
  auto parse_ex = [](std::vector<std::string> words) { return parse_sslpropertyex_arguments(words); };
  auto ok = parse_ex({"hostnameport=www.contoso.com:443", "PropertyId=1", "maxsettingsperminute=0"});
  REQUIRE(ok);
  CHECK(ok->verb == Verb::Update);
  CHECK(ok->key->as_parameter() == "hostnameport=www.contoso.com:443");
  CHECK(ok->property->id == PropertyId::Http2SettingsLimits);
  CHECK_FALSE(ok->property->max_settings_per_frame);
  CHECK(ok->property->max_settings_per_minute == 0U);
  ExtendedProperties x;
  ok->property->apply(x);
  CHECK(x.max_settings_per_frame == ExtendedProperties::kDefaultMaxSettingsPerFrame);
  CHECK(x.max_settings_per_minute == 0U);

  CHECK(parse_ex({"ccs=443", "propertyid=0", "receivewindow=2147483647"}));
  CHECK(parse_ex({"ccs=443", "propertyid=0", "receivewindow=1"}));
  const auto error = [&](std::vector<std::string> words) { return parse_ex(std::move(words)).error(); };
  CHECK(error({"propertyid=0", "receivewindow=5"}).code == ErrorCode::MissingParameters);
  CHECK(error({"ccs=443", "receivewindow=5"}).code == ErrorCode::MissingParameters);
  CHECK(error({"ccs=443", "propertyid=0"}).detail == "update sslpropertyex propertyid=0 needs receivewindow=<bytes>");
  CHECK(error({"ccs=443", "ipport=0.0.0.0:443", "propertyid=0", "receivewindow=5"}).detail ==
        "give one binding key, not both ipport=0.0.0.0:443 and ccs=");
  CHECK(error({"ccs=443", "propertyid=-1", "receivewindow=5"}).detail.find("is not a decimal number") !=
        std::string::npos);
  CHECK(error({"ccs=443", "propertyid=5"})
            .detail.starts_with("propertyid=5 (TlsSessionTicketKeys) is not one netsh "
                                "sets"));
  CHECK(error({"ccs=443", "propertyid=0", "receivewindow=4294967296"}).detail ==
        "receivewindow '4294967296' is above 4294967295; it takes an unsigned 32-bit number");
  CHECK(error({"ccs=70000", "propertyid=0", "receivewindow=5"}).code == ErrorCode::InvalidParameter);
  CHECK(error({"ccs=443", "propertyid=0", "receivewindow=5", "receivewindow=6"}).code == ErrorCode::InvalidParameter);
}
