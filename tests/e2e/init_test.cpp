// init, and the seed's workflow that replaces the self-signed "Default" certificate with a wildcard one.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/sslbind_runner.hpp"
#include "tests/support/openssl_cli.hpp"

using namespace sslbind::test;
using nlohmann::json;

namespace {

// The certificate hash bound to ipport=0.0.0.0:443, read back through show --json.
std::string bound_hash(const Sslbind& s) {
  const json j = json::parse(s({"--json", "show", "sslcert", "ipport=0.0.0.0:443"}).out);
  return j["bindings"][0]["certhash"];
}

}  // namespace

TEST_CASE("init creates the Default certificate and the two front-end bindings, and is idempotent") {
  Sslbind sslbind{EmptyRoot{}};
  auto r = sslbind({"init"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err == "");
  const json certs = json::parse(sslbind({"--json", "show", "cert", "certstorename=MY"}).out)["certificates"];
  REQUIRE(certs.size() == 1);
  const std::string hash = certs[0]["certhash"];
  CHECK(certs[0]["subject"] == "CN=Default");
  CHECK(certs[0]["issuer"] == "CN=Default");
  CHECK(certs[0]["privatekey"] == true);
  CHECK(certs[0]["keytype"] == "RSA 2048");
  CHECK(r.out == "Certificate CN=Default " + hash +
                     " created in store MY\n"
                     "ipport=0.0.0.0:443: SSL Certificate successfully added\n"
                     "ccs=443: SSL Certificate successfully added\n");

  const json bindings = json::parse(sslbind({"--json", "show", "sslcert"}).out)["bindings"];
  REQUIRE(bindings.size() == 2);
  CHECK(bindings[0]["ipport"] == "0.0.0.0:443");
  CHECK(bindings[0]["certhash"] == hash);
  CHECK(bindings[0]["appid"] == kAppId);
  CHECK(bindings[0]["certstorename"] == "MY");
  CHECK(bindings[1]["ccs"] == 443);
  CHECK(bindings[1]["appid"] == kAppId);
  CHECK(bindings[1]["certhash"] == nullptr);

  const std::string registry = sslbind.registry();
  r = sslbind({"init"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "ipport=0.0.0.0:443: exists; left as it is\nccs=443: exists; left as it is\n");
  CHECK(sslbind.registry() == registry);
  CHECK(json::parse(sslbind({"--json", "show", "cert"}).out)["certificates"].size() == 1);

  // With the IP binding gone, init binds the Default certificate it made before instead of making another.
  REQUIRE(sslbind({"delete", "sslcert", "ipport=0.0.0.0:443"}).exit_code == 0);
  const json again = json::parse(sslbind({"--json", "init"}).out);
  CHECK(again["certificateCreated"] == false);
  CHECK(again["certificate"]["certhash"] == hash);
  CHECK(again["bindings"][0]["result"] == "created");
  CHECK(again["bindings"][1]["result"] == "unchanged");
  CHECK(sslbind({"init", "port=8443"}).exit_code == 2);
}

TEST_CASE("the seed's replacement workflow: a wildcard certificate replaces Default on 0.0.0.0:443") {
  Sslbind sslbind{EmptyRoot{}};
  REQUIRE(sslbind({"init"}).exit_code == 0);
  const std::string default_hash = bound_hash(sslbind);

  // 1. Create a wildcard certificate for the cloud's DNS suffix with the openssl command line.
  TempDir work;
  const std::string key = (work.path() / "wild.key").string();
  const std::string pem = (work.path() / "wild.pem").string();
  const std::string pfx = (work.path() / "wild.pfx").string();
  openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365", "-subj", "/CN=*.cloudapp.contoso.com",
           "-addext", "subjectAltName=DNS:*.cloudapp.contoso.com", "-keyout", key, "-out", pem});
  openssl({"pkcs12", "-export", "-in", pem, "-inkey", key, "-out", pfx, "-passout", "pass:pfxpass"});
  const std::string wildcard = openssl_sha1(pem);

  // 2. Import it into the machine store.
  REQUIRE(sslbind({"add", "cert", "file=" + pfx, "password=pfxpass", "certstorename=MY"}).exit_code == 0);
  // 3. Delete the original binding.
  auto r = sslbind({"http", "delete", "sslcert", "ipport=0.0.0.0:443"});
  CHECK(r.out == "SSL Certificate successfully deleted\n");
  // 4. Add it back with the wildcard certificate's hash.
  r = sslbind({"http", "add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + wildcard,
               "appid={4dc3e181-e14b-4a21-b022-59fc669b0914}", "certstorename=MY"});
  CHECK(r.out == "SSL Certificate successfully added\n");
  CHECK(r.exit_code == 0);

  // show reflects it, and a site without its own certificate now gets a certificate that covers its name.
  CHECK(bound_hash(sslbind) == wildcard);
  r = sslbind({"show", "sslcert", "ipport=0.0.0.0:443"});
  CHECK(r.out.find("    Certificate Hash             : " + wildcard + "\n") != std::string::npos);
  r = sslbind({"resolve", "ipport=10.0.0.5:443", "hostname=mysite.cloudapp.contoso.com"});
  CHECK(r.out.find("    Certificate Hash      : " + wildcard + "\n") != std::string::npos);
  CHECK(r.out.find("    Covers Host Name      : Yes\n") != std::string::npos);
  // init afterwards leaves the replacement alone.
  CHECK(sslbind({"init"}).exit_code == 0);
  CHECK(bound_hash(sslbind) == wildcard);
  CHECK(wildcard != default_hash);
}
