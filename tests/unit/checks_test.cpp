#include <doctest/doctest.h>

#include <map>
#include <string>

#include "core/checks.hpp"

using namespace sslbind;

namespace {

constexpr std::int64_t kNow = 1'800'000'000;
constexpr std::int64_t kDay = 24 * 3600;

Thumbprint hash(char c) { return *Thumbprint::parse(std::string(40, c)); }

CertificateInfo cert(char c, std::string cn, std::vector<std::string> dns, std::int64_t days_left = 365,
                     bool key = true) {
  CertificateInfo i;
  i.thumbprint = hash(c);
  i.subject = "CN=" + cn;
  i.issuer = "CN=Contoso CA";
  i.dns_names = std::move(dns);
  i.not_before = kNow - kDay;
  i.not_after = kNow + days_left * kDay;
  i.has_private_key = key;
  return i;
}

Binding ip(const std::string& ipport, char c) {
  SslSettings s;
  s.certhash = hash(c);
  return {BindingKey::ip(*IpPort::parse(ipport)), s};
}
Binding sni(const std::string& hostport, char c) {
  SslSettings s;
  s.certhash = hash(c);
  s.certstorename = "MY";
  return {BindingKey::sni(*HostPort::parse(hostport, "hostnameport")), s};
}
Binding ccs(std::uint16_t port) { return {BindingKey::ccs(port), {}}; }

CcsEntry file(const std::string& host, std::optional<CertificateInfo> c, std::string problem = "") {
  std::string name = host + ".pfx";
  if (name.starts_with("*")) name[0] = '_';
  return {name, host, std::move(c), std::move(problem)};
}

struct Setup {
  RegistryState state;
  std::map<std::string, CertificateInfo> store;  // thumbprint hex -> certificate in MY
  std::vector<CcsEntry> files;
  std::optional<std::string> ccs_problem;

  Setup& bind(const Binding& b) {
    REQUIRE(state.bindings.add(b));
    return *this;
  }
  Setup& hold(const CertificateInfo& c) {
    store.emplace(c.thumbprint.hex(), c);
    return *this;
  }
  Setup& provider() {
    state.ccs_provider = CcsProviderConfig{true, "/srv/ccs", std::nullopt, std::nullopt, 300};
    return *this;
  }
  std::vector<Finding> run(std::uint32_t days = 30) const {
    CheckInput in;
    in.state = &state;
    in.find_certificate = [this](const std::string& name, const Thumbprint& t) -> std::optional<CertificateInfo> {
      if (name != "MY") return std::nullopt;
      const auto it = store.find(t.hex());
      if (it == store.end()) return std::nullopt;
      return it->second;
    };
    in.ccs_files = files;
    in.ccs_problem = ccs_problem;
    in.now = kNow;
    in.expiry_days = days;
    return run_checks(in);
  }
};

std::vector<std::string> rules(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(std::string(severity_name(f.severity)) + " " + f.rule + " " + f.subject);
  return out;
}

using Rules = std::vector<std::string>;

}  // namespace

TEST_CASE("check: a sound front end has no findings") {
  Setup s;
  s.bind(ip("0.0.0.0:443", 'a')).hold(cert('a', "*.contoso.com", {"*.contoso.com"}));
  s.bind(sni("shop.fabrikam.com:443", 'b')).hold(cert('b', "shop.fabrikam.com", {"shop.fabrikam.com"}));
  s.bind(ccs(443)).provider();
  s.files = {file("www.northwind.com", cert('c', "www.northwind.com", {"www.northwind.com"}))};
  CHECK(rules(s.run()) == Rules{});
}

TEST_CASE("check: certhash missing from its store, or without its private key") {
  Setup s;
  s.bind(ip("0.0.0.0:443", 'a')).bind(ip("0.0.0.0:8443", 'b'));
  s.hold(cert('b', "x.contoso.com", {"x.contoso.com"}, 365, /*key=*/false));
  CHECK(rules(s.run()) ==
        Rules{"error certificate-missing ipport=0.0.0.0:443", "error certificate-without-key ipport=0.0.0.0:8443"});
  CHECK(s.run()[0].fix.find("sslbind add cert") != std::string::npos);
}

TEST_CASE("check: expired, and expiring within the days given") {
  Setup s;
  s.bind(ip("0.0.0.0:443", 'a')).hold(cert('a', "*.contoso.com", {"*.contoso.com"}, -1));
  s.bind(ip("0.0.0.0:8443", 'b')).hold(cert('b', "*.contoso.com", {"*.contoso.com"}, 20));
  CHECK(rules(s.run()) ==
        Rules{"error certificate-expired ipport=0.0.0.0:443", "warning certificate-expiring ipport=0.0.0.0:8443"});
  CHECK(s.run()[1].message.find("expires in 20 days") != std::string::npos);
  CHECK(rules(s.run(10)) == Rules{"error certificate-expired ipport=0.0.0.0:443"});
}

TEST_CASE("check: a specific IP binding hides the SNI and CCS bindings of its port") {
  Setup s;
  s.bind(ip("10.0.0.5:443", 'a')).hold(cert('a', "www.contoso.com", {"www.contoso.com"}));
  s.bind(sni("shop.contoso.com:443", 'b')).hold(cert('b', "shop.contoso.com", {"shop.contoso.com"}));
  s.bind(ip("0.0.0.0:443", 'c')).hold(cert('c', "*.contoso.com", {"*.contoso.com"}));
  s.bind(ip("10.0.0.6:8443", 'a'));  // no names on 8443: nothing hidden
  const auto findings = s.run();
  CHECK(rules(findings) == Rules{"warning ip-binding-hides-names ipport=10.0.0.5:443"});
  CHECK(findings[0].message.find("hostnameport=shop.contoso.com:443 never serve") != std::string::npos);
}

TEST_CASE("check: a hiding IP binding names the first few bindings it hides, and how many more") {
  Setup s;
  s.bind(ip("10.0.0.5:443", 'a')).hold(cert('a', "www.contoso.com", {"www.contoso.com"}));
  s.bind(ip("0.0.0.0:443", 'a'));
  s.hold(cert('b', "*.contoso.com", {"*.contoso.com"}));
  for (int i = 0; i < 10; ++i) s.bind(sni("site" + std::to_string(i) + ".contoso.com:443", 'b'));
  const auto findings = s.run();
  REQUIRE(rules(findings) == Rules{"warning ip-binding-hides-names ipport=10.0.0.5:443"});
  CHECK(findings[0].message.find("hostnameport=site0.contoso.com:443, hostnameport=site1.contoso.com:443, "
                                 "hostnameport=site2.contoso.com:443 and 7 more never serve") != std::string::npos);
}

TEST_CASE("check: the wildcard fallback serves a self-signed certificate without names") {
  Setup s;
  s.bind(ip("0.0.0.0:443", 'a'));
  CertificateInfo def = cert('a', "Default", {});
  def.issuer = def.subject;
  s.hold(def);
  CHECK(rules(s.run()) == Rules{"warning fallback-certificate-no-names ipport=0.0.0.0:443"});
}

TEST_CASE("check: host names that fall through to a fallback that does not cover them") {
  Setup s;
  s.bind(ip("0.0.0.0:443", 'a')).hold(cert('a', "*.contoso.com", {"*.contoso.com"}));
  s.bind(ccs(443)).provider();
  s.files = {file("www.fabrikam.com", std::nullopt, "the password is wrong"),
             file("www.contoso.com", std::nullopt, "the password is wrong")};
  CHECK(rules(s.run()) == Rules{"error ccs-file-unreadable www.fabrikam.com.pfx",
                                "error ccs-file-unreadable www.contoso.com.pfx",
                                "warning fallback-name-mismatch ipport=0.0.0.0:443"});
}

TEST_CASE("check: CCS binding without an enabled provider") {
  Setup s;
  s.bind(ccs(443)).bind(ip("0.0.0.0:443", 'a')).hold(cert('a', "*.contoso.com", {"*.contoso.com"}));
  CHECK(rules(s.run()) == Rules{"error ccs-without-provider ccs=443"});
  s.provider();
  s.state.ccs_provider->enabled = false;
  CHECK(rules(s.run()) == Rules{"error ccs-without-provider ccs=443"});
}

TEST_CASE("check: CCS folder that cannot be listed") {
  Setup s;
  s.bind(ccs(443)).provider().bind(ip("0.0.0.0:443", 'a')).hold(cert('a', "*.contoso.com", {"*.contoso.com"}));
  s.ccs_problem = "the Central Certificate Store folder '/srv/ccs' cannot be listed: Permission denied";
  CHECK(rules(s.run()) == Rules{"error ccs-folder-unreadable /srv/ccs"});
}

TEST_CASE("check: PFX files that cannot be opened or have no key") {
  Setup s;
  s.bind(ccs(443)).provider().bind(ip("0.0.0.0:443", 'a')).hold(cert('a', "*.contoso.com", {"*.contoso.com"}));
  s.files = {file("a.contoso.com", std::nullopt, "is not a PFX (PKCS#12) file"),
             file("b.contoso.com", cert('b', "b.contoso.com", {"b.contoso.com"}, 365, false))};
  CHECK(rules(s.run()) ==
        Rules{"error ccs-file-unreadable a.contoso.com.pfx", "error ccs-file-without-key b.contoso.com.pfx"});
}

TEST_CASE("check: certificate names that do not match the binding or the file name") {
  Setup s;
  s.bind(sni("www.contoso.com:443", 'a')).hold(cert('a', "shop.contoso.com", {"shop.contoso.com"}));
  s.bind(ccs(443)).provider().bind(ip("0.0.0.0:443", 'c')).hold(cert('c', "*.contoso.com", {"*.contoso.com"}));
  s.files = {file("www.fabrikam.com", cert('b', "www.northwind.com", {"www.northwind.com"})),
             file("*.fabrikam.com", cert('d', "*.fabrikam.com", {"*.fabrikam.com"}))};
  CHECK(rules(s.run()) ==
        Rules{"warning name-mismatch hostnameport=www.contoso.com:443", "warning name-mismatch www.fabrikam.com.pfx"});
}

TEST_CASE("check: a host name both as SNI binding and as CCS file") {
  Setup s;
  s.bind(sni("www.contoso.com:443", 'a')).hold(cert('a', "www.contoso.com", {"www.contoso.com"}));
  s.bind(ccs(443)).provider().bind(ip("0.0.0.0:443", 'c')).hold(cert('c', "*.contoso.com", {"*.contoso.com"}));
  s.files = {file("WWW.contoso.com", cert('b', "www.contoso.com", {"www.contoso.com"}))};
  CHECK(rules(s.run()) == Rules{"warning sni-and-ccs WWW.contoso.com.pfx"});
}

TEST_CASE("check: a port with name bindings but no 0.0.0.0 fallback") {
  Setup s;
  s.bind(sni("www.contoso.com:443", 'a')).hold(cert('a', "www.contoso.com", {"www.contoso.com"}));
  const auto findings = s.run();
  CHECK(rules(findings) == Rules{"info no-fallback port 443"});
  CHECK(findings[0].message.find("clients without SNI") != std::string::npos);
}
