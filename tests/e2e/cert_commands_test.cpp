// add/show/delete cert with files that the openssl command line made.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/sslbind_runner.hpp"
#include "tests/support/certificate_factory.hpp"
#include "tests/support/openssl_cli.hpp"

using namespace sslbind::test;
using nlohmann::json;

namespace {

struct Files {
  TempDir dir;
  std::string pem = (dir.path() / "wild.pem").string();
  std::string key = (dir.path() / "wild.key").string();
  std::string pfx = (dir.path() / "wild.pfx").string();
  std::string thumbprint;
  Files() {
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=*.contoso.com", "-addext",
             "subjectAltName=DNS:*.contoso.com", "-keyout", key, "-out", pem});
    openssl({"pkcs12", "-export", "-in", pem, "-inkey", key, "-out", pfx, "-passout", "pass:pw"});
    thumbprint = openssl_sha1(pem);
  }
};

}  // namespace

TEST_CASE("add cert from PFX and PEM, show it, delete it") {
  Files f;
  Sslbind sslbind{EmptyRoot{}};
  auto r = sslbind({"add", "cert", "file=" + f.pfx, "password=pw", "certstorename=WebHosting"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "Certificate " + f.thumbprint + " successfully added to store WebHosting\n");
  write_file(f.dir.path() / "pass", "pw\n");
  CHECK(sslbind({"add", "cert", "file=" + f.pfx, "passwordfile=" + (f.dir.path() / "pass").string(),
                 "certstorename=webhosting"})
            .out == "Certificate " + f.thumbprint + " successfully added to store WebHosting\n");
  CHECK(sslbind({"add", "cert", "file=" + f.pem, "keyfile=" + f.key}).exit_code == 0);

  struct stat st {};
  REQUIRE(::stat((sslbind.root.path() / "stores" / "MY" / (f.thumbprint + ".key")).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  r = sslbind({"show", "cert", "certstorename=my"});
  CHECK(r.out.find("    Thumbprint             : " + f.thumbprint + "\n") != std::string::npos);
  CHECK(r.out.find("    Subject                : CN=*.contoso.com\n") != std::string::npos);
  CHECK(r.out.find("    Private Key            : Yes\n") != std::string::npos);
  const json j = json::parse(sslbind({"--json", "show", "cert"}).out);
  REQUIRE(j["certificates"].size() == 2);
  CHECK(j["certificates"][0]["certstorename"] == "MY");
  CHECK(j["certificates"][1]["certstorename"] == "WebHosting");
  CHECK(j["certificates"][1]["dnsnames"] == json::array({"*.contoso.com"}));
  CHECK(j["certificates"][1]["keytype"] == "RSA 2048");

  r = sslbind({"delete", "cert", "certhash=" + f.thumbprint});
  CHECK(r.exit_code == 0);
  r = sslbind({"delete", "cert", "certhash=" + f.thumbprint});
  CHECK(r.exit_code == 1);
  CHECK(r.out + r.err ==
        "Certificate deletion failed, Error: 2\nThe system cannot find the file specified.\ncertificate " +
            f.thumbprint + " is not in store MY\n");
}

TEST_CASE("add cert refusals") {
  Files f;
  Sslbind sslbind{EmptyRoot{}};
  auto r = sslbind({"add", "cert", "file=" + f.pfx, "password=wrong"});
  CHECK(r.exit_code == 2);
  CHECK(r.out + r.err == "The parameter is incorrect.\nfile '" + f.pfx + "': the password is wrong\n");
  r = sslbind({"add", "cert", "file=" + f.pfx, "password=pw", "passwordfile=x"});
  CHECK(r.out + r.err == "The parameter is incorrect.\ngive password= or passwordfile=, not both\n");
  r = sslbind({"add", "cert", "certstorename=MY"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("add cert needs file=<path of a .pfx or .pem file>\n") != std::string::npos);
  CHECK(r.out.find("\nUsage: add cert") != std::string::npos);
  r = sslbind({"update", "cert", "file=x"});
  CHECK(r.out + r.err ==
        "The parameter is incorrect.\nupdate cert is not a command: add the certificate again to replace it\n");
  CHECK_FALSE(std::filesystem::exists(sslbind.root.path() / "stores"));
}

TEST_CASE("an expired certificate: imported and bound as netsh allows, marked by show cert, an error for check") {
  Sslbind sslbind{EmptyRoot{}};
  TempDir dir;
  const auto pem = dir.path() / "old.pem";
  const std::string hash = write_pem(pem, host_certificate("old.contoso.com", -3));
  REQUIRE(sslbind({"add", "cert", "file=" + pem.string()}).exit_code == 0);
  auto r = sslbind({"show", "cert"});
  CHECK(r.out.find(" (expired)\n") != std::string::npos);
  CHECK(json::parse(sslbind({"--json", "show", "cert"}).out)["certificates"][0]["expired"] == true);
  REQUIRE(sslbind({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash, "appid=" + kAppId}).exit_code == 0);
  r = sslbind({"check"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.starts_with("error: ipport=0.0.0.0:443: certificate " + hash + " (CN=old.contoso.com) has expired"));
  const json resolved =
      json::parse(sslbind({"--json", "resolve", "ipport=10.0.0.5:443", "hostname=old.contoso.com"}).out);
  CHECK(resolved["certificate"]["expired"] == true);
}
