#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/selection.hpp"
#include "store/compiled_registry.hpp"

using namespace sslbind;

namespace {

Binding ip(const std::string& ipport) {
  SslSettings s;
  s.certhash = *Thumbprint::parse(std::string(40, 'a'));
  return {BindingKey::ip(*IpPort::parse(ipport)), s};
}
Binding sni(const std::string& hostport) {
  SslSettings s;
  s.certhash = *Thumbprint::parse(std::string(40, 'b'));
  s.certstorename = "MY";
  return {BindingKey::sni(*HostPort::parse(hostport, "hostnameport")), s};
}
Binding ccs(std::uint16_t port) { return {BindingKey::ccs(port), {}}; }
Binding scoped(const std::string& hostport) {
  return {BindingKey::scoped_ccs(*HostPort::parse(hostport, "scopedccs")), {}};
}

ClientHello hello(const std::string& address, std::uint16_t port, std::optional<std::string> sni_name) {
  return {*IpAddress::parse(address, "test"), port, std::move(sni_name)};
}

// A CCS folder holding these files (lower-case names), all usable.
CcsLookup folder(std::set<std::string> files) {
  return [files](std::string_view host) {
    CcsOutcome out;
    const std::string exact = std::string(host) + ".pfx";
    out.tried.push_back(exact);
    if (files.contains(exact)) {
      out.file = exact;
      out.usable = true;
    }
    return out;
  };
}

// Everything a selection says, as text.
std::string describe(const Selection& s) {
  std::string out =
      s.winner ? "winner " + s.winner->binding->key.as_parameter() + " step " + std::string(step_name(s.winner->step))
               : "no winner";
  for (const Candidate& c : s.hidden) out += "; hides " + c.binding->key.as_parameter();
  for (const std::string& p : s.passed_over) out += "; passed over " + p;
  return out;
}

struct Fixture {
  BindingSet set;
  std::shared_ptr<const store::CompiledRegistry> compiled;
  explicit Fixture(std::initializer_list<Binding> bindings) {
    for (const auto& b : bindings) REQUIRE(set.add(b));
    compiled = *store::CompiledRegistry::from_bytes(*store::compile_registry(set, "", {}), {});
  }
  // Asked of the in-memory table (resolve) and of the compiled registry (serve): both must say the same.
  Selection select(const ClientHello& h, const CcsLookup& lookup = folder({})) const {
    Selection in_memory = SelectionIndex(set).select(h, lookup);
    CHECK(describe(SelectionIndex(compiled).select(h, lookup)) == describe(in_memory));
    return in_memory;
  }
  std::string winner(const ClientHello& h, const CcsLookup& lookup = folder({})) const {
    const Selection s = select(h, lookup);
    return s.winner ? s.winner->binding->key.as_parameter() : "handshake fails";
  }
};

}  // namespace

TEST_CASE("step 1: the exact IP:port binding wins over SNI, CCS and the wildcards (IPv4 and IPv6)") {
  const Fixture f{ip("10.0.0.5:443"), ip("[2001:db8::5]:443"), sni("www.contoso.com:443"),
                  ccs(443),           ip("0.0.0.0:443"),       ip("[::]:443")};
  const auto s = f.select(hello("10.0.0.5", 443, "www.contoso.com"), folder({"www.contoso.com.pfx"}));
  REQUIRE(s.winner);
  CHECK(s.winner->step == SelectionStep::ExactIpPort);
  CHECK(s.winner->binding->key.as_parameter() == "ipport=10.0.0.5:443");
  // It hides every later binding that would match this connection; [::] does not match an IPv4 client.
  REQUIRE(s.hidden.size() == 3);
  CHECK(s.hidden[0].step == SelectionStep::HostnamePort);
  CHECK(s.hidden[1].step == SelectionStep::Ccs);
  CHECK(s.hidden[2].binding->key.as_parameter() == "ipport=0.0.0.0:443");
  CHECK_FALSE(s.ccs);  // the CCS folder is never consulted
  CHECK(f.winner(hello("2001:db8::5", 443, "www.contoso.com")) == "ipport=[2001:db8::5]:443");
  CHECK(f.winner(hello("2001:db8::5", 443, std::nullopt)) == "ipport=[2001:db8::5]:443");
  // Another address, or another port, is not an exact match.
  CHECK(f.winner(hello("10.0.0.6", 443, "www.contoso.com")) == "hostnameport=www.contoso.com:443");
  CHECK(f.winner(hello("10.0.0.5", 8443, "www.contoso.com")) == "handshake fails");
}

TEST_CASE("step 2: hostname:port for SNI clients only, 0.0.0.0 does not beat it") {
  const Fixture f{sni("www.contoso.com:443"), ip("0.0.0.0:443"), ip("[::]:443")};
  const auto s = f.select(hello("10.0.0.5", 443, "WWW.Contoso.com"));
  REQUIRE(s.winner);
  CHECK(s.winner->step == SelectionStep::HostnamePort);
  REQUIRE(s.hidden.size() == 1);
  CHECK(s.hidden[0].step == SelectionStep::Ipv4Wildcard);
  const auto v6 = f.select(hello("2001:db8::5", 443, "www.contoso.com"));
  CHECK(v6.winner->step == SelectionStep::HostnamePort);
  CHECK(v6.hidden.size() == 2);  // [::] and 0.0.0.0
  // A client without SNI never reaches a hostname binding.
  CHECK(f.winner(hello("10.0.0.5", 443, std::nullopt)) == "ipport=0.0.0.0:443");
  CHECK(f.winner(hello("2001:db8::5", 443, std::nullopt)) == "ipport=[::]:443");
  CHECK(f.winner(hello("10.0.0.5", 443, "other.contoso.com")) == "ipport=0.0.0.0:443");
}

TEST_CASE("step 2: a wildcard hostname binding covers one label") {
  const Fixture f{sni("*.contoso.com:443"), sni("www.contoso.com:443")};
  CHECK(f.winner(hello("10.0.0.5", 443, "www.contoso.com")) == "hostnameport=www.contoso.com:443");
  CHECK(f.winner(hello("10.0.0.5", 443, "shop.contoso.com")) == "hostnameport=*.contoso.com:443");
  CHECK(f.winner(hello("10.0.0.5", 443, "a.shop.contoso.com")) == "handshake fails");
}

TEST_CASE("step 3: CCS serves SNI clients whose file exists, else the next step is tried") {
  const Fixture f{ccs(443), ip("0.0.0.0:443")};
  const auto found = f.select(hello("10.0.0.5", 443, "www.contoso.com"), folder({"www.contoso.com.pfx"}));
  REQUIRE(found.winner);
  CHECK(found.winner->step == SelectionStep::Ccs);
  CHECK(found.ccs->file == "www.contoso.com.pfx");
  CHECK(found.hidden.size() == 1);
  const auto missing = f.select(hello("10.0.0.5", 443, "shop.contoso.com"), folder({"www.contoso.com.pfx"}));
  CHECK(missing.winner->step == SelectionStep::Ipv4Wildcard);
  REQUIRE(missing.passed_over.size() == 1);
  CHECK(missing.passed_over[0] == "ccs=443: the Central Certificate Store has no shop.contoso.com.pfx");
  const auto no_sni = f.select(hello("10.0.0.5", 443, std::nullopt), folder({"www.contoso.com.pfx"}));
  CHECK(no_sni.winner->step == SelectionStep::Ipv4Wildcard);
  CHECK_FALSE(no_sni.ccs);
  CHECK(no_sni.passed_over[0] == "ccs=443 needs the client's SNI host name; this client sent none");
  // IPv6 clients use CCS the same way.
  CHECK(f.winner(hello("2001:db8::5", 443, "www.contoso.com"), folder({"www.contoso.com.pfx"})) == "ccs=443");
  // SNI beats CCS for the same name.
  const Fixture both{sni("www.contoso.com:443"), ccs(443)};
  CHECK(both.winner(hello("10.0.0.5", 443, "www.contoso.com"), folder({"www.contoso.com.pfx"})) ==
        "hostnameport=www.contoso.com:443");
}

TEST_CASE("step 3: a file that cannot be used falls through, with the reason") {
  const Fixture f{ccs(443), ip("0.0.0.0:443")};
  const CcsLookup broken = [](std::string_view) {
    return CcsOutcome{{"www.contoso.com.pfx"},
                      "www.contoso.com.pfx",
                      std::nullopt,
                      false,
                      "www.contoso.com.pfx cannot be opened: the password is wrong"};
  };
  const auto s = f.select(hello("10.0.0.5", 443, "www.contoso.com"), broken);
  CHECK(s.winner->step == SelectionStep::Ipv4Wildcard);
  CHECK(s.passed_over[0] == "ccs=443: www.contoso.com.pfx cannot be opened: the password is wrong");
}

TEST_CASE("step 3: a scoped CCS binding is taken for its host name") {
  const Fixture f{scoped("www.contoso.com:443")};
  CHECK(f.winner(hello("10.0.0.5", 443, "www.contoso.com"), folder({"www.contoso.com.pfx"})) ==
        "scopedccs=www.contoso.com:443");
  CHECK(f.winner(hello("10.0.0.5", 443, "shop.contoso.com"), folder({"shop.contoso.com.pfx"})) == "handshake fails");
}

TEST_CASE("steps 4 and 5: [::] only for IPv6 connections, 0.0.0.0 for both") {
  const Fixture f{ip("[::]:443"), ip("0.0.0.0:443")};
  const auto v6 = f.select(hello("2001:db8::5", 443, "www.contoso.com"));
  CHECK(v6.winner->step == SelectionStep::Ipv6Wildcard);
  REQUIRE(v6.hidden.size() == 1);
  CHECK(v6.hidden[0].step == SelectionStep::Ipv4Wildcard);
  CHECK(f.select(hello("10.0.0.5", 443, std::nullopt)).winner->step == SelectionStep::Ipv4Wildcard);
  const Fixture v4_only{ip("0.0.0.0:443")};
  CHECK(v4_only.select(hello("2001:db8::5", 443, std::nullopt)).winner->step == SelectionStep::Ipv4Wildcard);
  const Fixture v6_only{ip("[::]:443")};
  CHECK(v6_only.winner(hello("10.0.0.5", 443, std::nullopt)) == "handshake fails");
}

TEST_CASE("no binding: the handshake fails") {
  const Fixture empty{};
  const auto s = empty.select(hello("10.0.0.5", 443, "www.contoso.com"));
  CHECK_FALSE(s.winner);
  CHECK(s.hidden.empty());
  const Fixture other_port{ip("0.0.0.0:8443"), ccs(8443)};
  CHECK(other_port.winner(hello("10.0.0.5", 443, "www.contoso.com"), folder({"www.contoso.com.pfx"})) ==
        "handshake fails");
}

TEST_CASE("the index answers for many bindings without scanning") {
  BindingSet set;
  for (int i = 0; i < 2000; ++i) REQUIRE(set.add(sni("site" + std::to_string(i) + ".contoso.com:443")));
  REQUIRE(set.add(ip("0.0.0.0:443")));
  const SelectionIndex index(set);
  for (int i : {0, 999, 1999}) {
    const auto s = index.select(hello("10.0.0.5", 443, "site" + std::to_string(i) + ".contoso.com"), folder({}));
    CHECK(s.winner->binding->key.host() == "site" + std::to_string(i) + ".contoso.com");
  }
}
