// add|update|delete|show ccs on the real binary, with PFX files in a real folder.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/sslbind_runner.hpp"
#include "tests/support/certificate_factory.hpp"

using namespace sslbind::test;
using nlohmann::json;

namespace {

struct CcsFolder {
  TempDir dir;
  std::string path = dir.str();
  std::string www, wildcard, expired;
  CcsFolder() {
    www = write_pfx(dir.path() / "www.contoso.com.pfx", host_certificate("www.contoso.com"), "s3cret");
    wildcard = write_pfx(dir.path() / "_.contoso.com.pfx", host_certificate("*.contoso.com"), "s3cret");
    expired = write_pfx(dir.path() / "old.contoso.com.pfx", host_certificate("old.contoso.com", -2), "s3cret");
    write_pfx(dir.path() / "other.contoso.com.pfx", host_certificate("other.contoso.com"), "another");
    write_file(dir.path() / "notes.txt", "not a certificate");
  }
};

json provider_key(const Sslbind& s) {
  return json::parse(
      s.registry_document())["HKEY_LOCAL_MACHINE"]["SOFTWARE"]["Microsoft"]["IIS"]["CentralCertProvider"];
}

}  // namespace

TEST_CASE("add ccs writes CentralCertProvider with a sealed password, show ccs lists what the folder serves") {
  CcsFolder folder;
  Sslbind sslbind{EmptyRoot{}};
  auto r = sslbind({"add", "ccs", "location=" + folder.path, "privatekeypassword=s3cret", "pollinginterval=60"});
  CHECK(r.err == "");
  CHECK(r.out == "Central Certificate Store provider successfully added\n");
  CHECK(r.exit_code == 0);

  const json key = provider_key(sslbind);
  CHECK(key["Enabled"] == json({{"type", "REG_DWORD"}, {"data", 1}}));
  CHECK(key["CertStoreLocation"] == json({{"type", "REG_SZ"}, {"data", folder.path}}));
  CHECK(key["PollingInterval"]["data"] == 60);
  CHECK(key["PrivateKeyPassword"]["type"] == "REG_SZ");
  CHECK(sslbind.registry().find("s3cret") == std::string::npos);

  r = sslbind({"show", "ccs"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("    Enabled                    : Yes\n") != std::string::npos);
  CHECK(r.out.find("    Certificate Store Location : " + folder.path + "\n") != std::string::npos);
  CHECK(r.out.find("    Hostname                   : www.contoso.com\n"
                   "    File                       : www.contoso.com.pfx\n"
                   "    Thumbprint                 : " +
                   folder.www + "\n") != std::string::npos);
  CHECK(r.out.find("    Hostname                   : *.contoso.com\n") != std::string::npos);
  CHECK(r.out.find("(expired)") != std::string::npos);
  CHECK(r.out.find("    File                       : other.contoso.com.pfx\n"
                   "    Cannot Be Opened           : ") != std::string::npos);
  CHECK(r.out.find("the password is wrong") != std::string::npos);
  CHECK(r.out.find("Files not served (not named <hostname>.pfx):\n    notes.txt\n") != std::string::npos);

  const json j = json::parse(sslbind({"--json", "show", "ccs"}).out);
  CHECK(j["provider"]["enabled"] == true);
  CHECK(j["provider"]["privatekeypassword"] == true);
  REQUIRE(j["certificates"].size() == 4);
  CHECK(j["certificates"][0]["file"] == "_.contoso.com.pfx");
  CHECK(j["certificates"][0]["certhash"] == folder.wildcard);
  CHECK(j["certificates"][1]["hostname"] == "old.contoso.com");
  CHECK(j["certificates"][1]["expired"] == true);
  CHECK(j["certificates"][2]["error"].get<std::string>().find("the password is wrong") != std::string::npos);
  CHECK(j["certificates"][3]["expired"] == false);
  CHECK(j["ignored"] == json::array({"notes.txt"}));
}

TEST_CASE("add ccs twice is 183, update changes it, delete disables it and drops the credentials") {
  CcsFolder folder;
  Sslbind sslbind{EmptyRoot{}};
  REQUIRE(sslbind({"add", "ccs", "location=" + folder.path, "username=HOST\\ccs"}).exit_code == 0);
  const std::string before = sslbind.registry();
  auto r = sslbind({"add", "ccs", "location=" + folder.path});
  CHECK(r.exit_code == 1);
  CHECK(r.out.starts_with("Central Certificate Store add failed, Error: 183\n"));
  CHECK(sslbind.registry() == before);

  write_file(folder.dir.path() / "pass", "s3cret\n");
  r = sslbind({"update", "ccs", "passwordfile=" + (folder.dir.path() / "pass").string()});
  CHECK(r.out == "Central Certificate Store provider successfully updated\n");
  CHECK(provider_key(sslbind)["UserName"]["data"] == "HOST\\ccs");
  CHECK(provider_key(sslbind).contains("PrivateKeyPassword"));
  CHECK(sslbind({"show", "ccs"}).out.find("    Thumbprint                 : " + folder.www) != std::string::npos);

  r = sslbind({"delete", "ccs"});
  CHECK(r.out == "Central Certificate Store provider successfully deleted\n");
  const json key = provider_key(sslbind);
  CHECK(key["Enabled"]["data"] == 0);
  CHECK(key["CertStoreLocation"]["data"] == folder.path);
  CHECK_FALSE(key.contains("UserName"));
  CHECK_FALSE(key.contains("PrivateKeyPassword"));
  r = sslbind({"show", "ccs"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("    Enabled                    : No\n") != std::string::npos);
  CHECK(r.out.find("Certificates:") == std::string::npos);
  r = sslbind({"delete", "ccs"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.starts_with("Central Certificate Store deletion failed, Error: 2\n"));
  CHECK(sslbind({"update", "ccs", "pollinginterval=5"}).exit_code == 1);
  // add enables it again in place.
  CHECK(sslbind({"add", "ccs", "location=" + folder.path}).exit_code == 0);
  CHECK(provider_key(sslbind)["Enabled"]["data"] == 1);
}

TEST_CASE("ccs errors leave the registry as it was") {
  CcsFolder folder;
  Sslbind sslbind{EmptyRoot{}};
  auto r = sslbind({"show", "ccs"});
  CHECK(r.exit_code == 1);
  CHECK(r.out + r.err ==
        "The system cannot find the file specified.\nno Central Certificate Store provider is enabled; add "
        "one with: sslbind add ccs location=<folder>\n");
  r = sslbind({"add", "ccs", "location=" + folder.path + "/missing"});
  CHECK(r.exit_code == 2);
  CHECK(r.out + r.err ==
        "The parameter is incorrect.\nlocation '" + folder.path +
            "/missing' is not a folder; create it, or give the folder that holds the <hostname>.pfx files\n");
  r = sslbind({"add", "ccs"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("add ccs needs location=<folder of the .pfx files>") != std::string::npos);
  CHECK(r.out.find("Usage: add ccs location=<folder>") != std::string::npos);  // netsh prints the usage on stdout
  CHECK(sslbind({"add", "ccs", "location=" + folder.path, "pollinginterval=soon"}).exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(sslbind.root.path() / "registry.json"));

  REQUIRE(sslbind({"add", "ccs", "location=" + folder.path}).exit_code == 0);
  std::filesystem::remove_all(folder.dir.path());
  r = sslbind({"show", "ccs"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("Central Certificate Store provider:") != std::string::npos);
  CHECK(r.err.find("cannot be listed") != std::string::npos);
  const json j = json::parse(sslbind({"--json", "show", "ccs"}).out);
  CHECK(j["error"]["kind"] == "source-unavailable");
}
