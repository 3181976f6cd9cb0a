// resolve and check on the real binary: bindings, stores and a CCS folder on a temporary root.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/sslbind_runner.hpp"
#include "tests/support/certificate_factory.hpp"

using namespace sslbind::test;
using nlohmann::json;

namespace {

// A front end: a legacy IP binding on 10.0.0.5, an SNI site, CCS with one site file and a wildcard fallback.
struct FrontEnd {
  Sslbind sslbind{EmptyRoot{}};
  TempDir files;
  std::string legacy, www, wildcard, shop;

  std::string import(const std::string& name, const sslbind::store::SelfSignedSpec& spec) {
    const auto path = files.path() / (name + ".pem");
    const std::string hash = write_pem(path, spec);
    REQUIRE(sslbind({"add", "cert", "file=" + path.string(), "certstorename=MY"}).exit_code == 0);
    return hash;
  }
  void run(std::vector<std::string> args) {
    const auto r = sslbind(args);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }

  FrontEnd() {
    legacy = import("legacy", host_certificate("legacy.contoso.com"));
    www = import("www", host_certificate("www.contoso.com"));
    wildcard = import("wildcard", host_certificate("*.contoso.com"));
    std::filesystem::create_directory(files.path() / "ccs");
    shop = write_pfx(files.path() / "ccs" / "shop.fabrikam.com.pfx", host_certificate("shop.fabrikam.com"), "");
    run({"add", "sslcert", "ipport=10.0.0.5:443", "certhash=" + legacy, "appid=" + kAppId});
    run({"add", "sslcert", "hostnameport=www.contoso.com:443", "certhash=" + www, "appid=" + kAppId,
         "certstorename=MY"});
    run({"add", "sslcert", "ccs=443", "appid=" + kAppId});
    run({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + wildcard, "appid=" + kAppId});
    run({"add", "ccs", "location=" + (files.path() / "ccs").string()});
  }
};

}  // namespace

TEST_CASE("resolve: each step as the real binary reports it") {
  FrontEnd fe;
  auto r = fe.sslbind({"resolve", "ipport=10.0.0.5:443", "hostname=www.contoso.com"});
  CHECK(r.exit_code == 0);
  CHECK(
      r.out.starts_with("Client: 10.0.0.5:443 with SNI host name www.contoso.com\n\n"
                        "Selected by step 1, exact IP:port: ipport=10.0.0.5:443\n"
                        "    Source                : store MY\n"
                        "    Certificate Hash      : " +
                        fe.legacy + "\n"));
  CHECK(r.out.find("    Covers Host Name      : No: the client shows a certificate error\n") != std::string::npos);
  CHECK(r.out.find("Hidden by this step:\n"
                   "    hostnameport=www.contoso.com:443 (step 2, hostname:port (SNI))\n"
                   "    ccs=443 (step 3, Central Certificate Store)\n"
                   "    ipport=0.0.0.0:443 (step 5, IPv4 wildcard 0.0.0.0:port)\n") != std::string::npos);

  r = fe.sslbind({"resolve", "ipport=10.0.0.6:443", "hostname=www.contoso.com"});
  CHECK(r.out.find("Selected by step 2, hostname:port (SNI): hostnameport=www.contoso.com:443\n") != std::string::npos);
  CHECK(r.out.find("Covers Host Name      : Yes") != std::string::npos);

  const json ccs =
      json::parse(fe.sslbind({"--json", "resolve", "ipport=[2001:db8::6]:443", "hostname=shop.fabrikam.com"}).out);
  CHECK(ccs["selected"] == true);
  CHECK(ccs["step"] == 3);
  CHECK(ccs["certificate"]["certhash"] == fe.shop);
  CHECK(ccs["certificate"]["source"] == "file " + (fe.files.path() / "ccs" / "shop.fabrikam.com.pfx").string());
  CHECK(ccs["certificate"]["coversHostname"] == true);
  CHECK(ccs["hidden"] == json::array({{{"step", 5}, {"key", "ipport=0.0.0.0:443"}}}));

  const json fallback =
      json::parse(fe.sslbind({"--json", "resolve", "ipport=10.0.0.6:443", "hostname=blog.contoso.com"}).out);
  CHECK(fallback["step"] == 5);
  CHECK(fallback["certificate"]["certhash"] == fe.wildcard);
  CHECK(fallback["certificate"]["coversHostname"] == true);
  CHECK(fallback["passedOver"] == json::array({"ccs=443: the Central Certificate Store has no blog.contoso.com.pfx or "
                                               "_.contoso.com.pfx"}));

  const json no_sni = json::parse(fe.sslbind({"--json", "resolve", "ipport=10.0.0.6:443"}).out);
  CHECK(no_sni["step"] == 5);
  CHECK(no_sni["certificate"]["coversHostname"] == nullptr);

  r = fe.sslbind({"resolve", "ipport=10.0.0.6:8443", "hostname=www.contoso.com"});
  CHECK(r.exit_code == 1);
  CHECK(r.out ==
        "Client: 10.0.0.6:8443 with SNI host name www.contoso.com\n\n"
        "No binding matches: no certificate is sent and the TLS handshake fails.\n");
  CHECK(json::parse(fe.sslbind({"--json", "resolve", "ipport=10.0.0.6:8443"}).out)["selected"] == false);

  r = fe.sslbind({"resolve", "ipport=0.0.0.0:443"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("is a wildcard") != std::string::npos);
  r = fe.sslbind({"resolve", "ipport=10.0.0.6:443", "hostname=../../etc/passwd"});
  CHECK(r.exit_code == 2);
}

TEST_CASE("check: findings, severities, fixes and the exit code") {
  FrontEnd fe;
  auto r = fe.sslbind({"check"});
  CHECK(r.exit_code == 0);  // a warning only: the legacy IP binding hides the names on port 443
  CHECK(
      r.out.starts_with("warning: ipport=10.0.0.5:443: every client connecting to 10.0.0.5:443 gets this "
                        "binding's certificate; hostnameport=www.contoso.com:443, ccs=443 never serve connections "
                        "to that address [ip-binding-hides-names]\n"
                        "         fix: if the sites on 10.0.0.5:443 use SNI or CCS, delete it"));
  CHECK(r.out.ends_with("\n0 errors, 1 warnings, 0 notes\n"));

  write_file(fe.files.path() / "ccs" / "broken.contoso.com.pfx", "garbage");
  REQUIRE(fe.sslbind({"delete", "cert", "certhash=" + fe.www}).exit_code == 0);
  const json j = json::parse(fe.sslbind({"--json", "check", "days=400"}).out);
  CHECK(j["errors"] == 2);
  std::vector<std::string> rules;
  for (const auto& f : j["findings"])
    rules.push_back(f["severity"].get<std::string>() + " " + f["rule"].get<std::string>());
  CHECK(rules == std::vector<std::string>{"error certificate-missing", "error ccs-file-unreadable",
                                          "warning certificate-expiring", "warning certificate-expiring",
                                          "warning ip-binding-hides-names", "warning certificate-expiring"});
  CHECK(fe.sslbind({"check"}).exit_code == 1);
  CHECK(fe.sslbind({"check", "days=x"}).exit_code == 2);
}
