#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/sslbind_runner.hpp"

using namespace sslbind::test;
using nlohmann::json;

namespace {

std::string entry(const std::string& label_line, const std::string& hash, const std::string& store,
                  const std::string& http2 = "Not Set") {
  return label_line +
         "\n"
         "    Certificate Hash             : " +
         hash +
         "\n"
         "    Application ID               : {4dc3e181-e14b-4a21-b022-59fc669b0914}\n"
         "    Certificate Store Name       : " +
         store +
         "\n"
         "    Verify Client Certificate Revocation : Enabled\n"
         "    Verify Revocation Using Cached Client Certificate Only : Disabled\n"
         "    Usage Check                  : Enabled\n"
         "    Revocation Freshness Time    : 0\n"
         "    URL Retrieval Timeout        : 0\n"
         "    Ctl Identifier               : (null)\n"
         "    Ctl Store Name               : (null)\n"
         "    DS Mapper Usage              : Disabled\n"
         "    Negotiate Client Certificate : Disabled\n"
         "    Reject Connections           : Disabled\n"
         "    Disable HTTP2                : " +
         http2 +
         "\n"
         "    Disable QUIC                 : Not Set\n"
         "    Disable TLS1.2               : Not Set\n"
         "    Disable TLS1.3               : Not Set\n"
         "    Disable OCSP Stapling        : Not Set\n"
         "    Enable Token Binding         : Not Set\n"
         "    Log Extended Events          : Not Set\n"
         "    Disable Legacy TLS Versions  : Not Set\n"
         "    Enable Session Ticket        : Not Set\n"
         "    Disable Session ID           : Not Set\n"
         "    Enable Caching Client Hello  : Not Set\n"
         "\n";
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

const std::string kHeader = "\nSSL Certificate bindings:\n-------------------------\n\n\n\n";

}  // namespace

TEST_CASE("add, show, update, delete for each key form, in netsh's texts") {
  Sslbind sslbind;
  auto r = sslbind({"http", "add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "SSL Certificate successfully added\n");
  CHECK(r.err.empty());
  CHECK(sslbind({"add", "sslcert", "ipport=[::]:443", "certhash=" + hash0(), "appid=" + kAppId}).exit_code == 0);
  CHECK(sslbind({"add", "sslcert", "hostnameport=www.contoso.com:443", "certhash=" + hash0(), "appid=" + kAppId,
                 "certstorename=MY"})
            .exit_code == 0);
  CHECK(sslbind({"add", "sslcert", "ccs=443", "appid=" + kAppId}).exit_code == 0);
  CHECK(sslbind({"add", "sslcert", "scopedccs=shop.contoso.com:443", "appid=" + kAppId}).exit_code == 0);

  r = sslbind({"show", "sslcert"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == kHeader + entry("    IP:port                      : 0.0.0.0:443", hash0(), "(null)") +
                     entry("    IP:port                      : [::]:443", hash0(), "(null)") +
                     entry("    Hostname:port                : www.contoso.com:443", hash0(), "MY") +
                     entry("    Central Certificate Store    : 443", "(null)", "(null)") +
                     entry("    Scoped CCS:port              : shop.contoso.com:443", "(null)", "(null)"));

  r = sslbind({"update", "sslcert", "hostnameport=WWW.CONTOSO.COM:443", "certhash=" + upper(hash1()), "appid=" + kAppId,
               "certstorename=WebHosting", "disablehttp2=enable"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "SSL Certificate successfully updated\n");
  r = sslbind({"show", "sslcert", "hostnameport=www.contoso.com:443"});
  CHECK(r.out ==
        kHeader + entry("    Hostname:port                : www.contoso.com:443", hash1(), "WebHosting", "Set"));

  for (const char* key : {"ipport=0.0.0.0:443", "ipport=[0::0]:443", "hostnameport=www.contoso.com:443", "ccs=443",
                          "scopedccs=shop.contoso.com:443"}) {
    r = sslbind({"delete", "sslcert", key});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "SSL Certificate successfully deleted\n");
  }
  r = sslbind({"show", "sslcert"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == kHeader);
}

TEST_CASE("keywords, verbs and enum values are case-insensitive, values are stored as netsh shows them") {
  Sslbind sslbind;
  auto r = sslbind({"HTTP", "ADD", "SSLCERT", "IPPORT=10.0.0.5:443", "CertHash=" + upper(hash0()),
                    "APPID=4DC3E181-E14B-4A21-B022-59FC669B0914", "CertStoreName=My", "UsageCheck=DISABLE"});
  CHECK(r.exit_code == 0);
  r = sslbind({"sh", "ssl", "ipport=10.0.0.5:443"});
  CHECK(r.out.find("    Certificate Hash             : " + hash0() + "\n") != std::string::npos);
  CHECK(r.out.find("    Application ID               : " + kAppId + "\n") != std::string::npos);
  CHECK(r.out.find("    Certificate Store Name       : My\n") != std::string::npos);
  CHECK(r.out.find("    Usage Check                  : Disabled\n") != std::string::npos);
}

TEST_CASE("--json for every command follows docs/json.md") {
  Sslbind sslbind;
  auto r = sslbind({"--json", "add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId,
                    "revocationfreshnesstime=30", "disabletls12=enable"});
  CHECK(r.exit_code == 0);
  json j = json::parse(r.out);
  CHECK(j["command"] == "add sslcert");
  CHECK(j["status"] == "ok");
  CHECK(j["message"] == "SSL Certificate successfully added");
  CHECK(j["binding"]["keytype"] == "ipport");
  CHECK(j["binding"]["ipport"] == "0.0.0.0:443");
  CHECK(j["binding"]["certhash"] == hash0());
  CHECK(j["binding"]["appid"] == kAppId);
  CHECK(j["binding"]["certstorename"] == nullptr);
  CHECK(j["binding"]["disabletls12"] == true);
  CHECK(j["binding"]["usagecheck"] == true);
  CHECK(j["binding"]["revocationfreshnesstime"] == 30);
  CHECK(j["binding"]["DefaultSslCertCheckMode"] == 4);
  CHECK(j["binding"]["DefaultFlags"] == 0x1000);

  CHECK(sslbind({"add", "sslcert", "ccs=8443", "appid=" + kAppId}).exit_code == 0);
  j = json::parse(sslbind({"show", "sslcert", "--json"}).out);
  REQUIRE(j["bindings"].size() == 2);
  CHECK(j["bindings"][1]["ccs"] == 8443);
  CHECK(j["bindings"][1]["certhash"] == nullptr);
  CHECK(json::parse(sslbind({"show", "sslcert", "json=enable"}).out)["bindings"].size() == 2);

  r = sslbind({"--json", "update", "sslcert", "ccs=8443", "appid=" + kAppId, "reject=enable"});
  CHECK(json::parse(r.out)["binding"]["reject"] == true);
  r = sslbind({"--json", "delete", "sslcert", "ccs=8443"});
  j = json::parse(r.out);
  CHECK(j["message"] == "SSL Certificate successfully deleted");
  CHECK(j["binding"]["reject"] == true);
}

TEST_CASE("help texts") {
  Sslbind sslbind;
  auto r = sslbind({"help"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("add sslcert    - Adds an SSL server certificate binding.") != std::string::npos);
  r = sslbind({"add", "sslcert", "help"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("Usage: add sslcert hostnameport=<name:port> | ipport=<ipaddr:port> | ccs=<port>", 0) == 0);
  CHECK(r.out.find("        appid=<GUID>\n        [certhash=<string>]\n") != std::string::npos);
  CHECK(r.out.find("[disablesessionid=enable|disable]") != std::string::npos);
  CHECK(sslbind({"delete", "sslcert", "?"}).out.find("delete sslcert ccs=443") != std::string::npos);
}

TEST_CASE("--version names project()'s version and the commit it was built from") {
  Sslbind sslbind;
  const auto r = sslbind({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("sslbind " SSLBIND_PROJECT_VERSION, 0) == 0);
  const auto head = run_process({"/usr/bin/git", "-C", SSLBIND_SOURCE_DIR, "rev-parse", "--short=12", "HEAD"});
  if (head.exit_code == 0 && head.out.size() > 12) {  // built from a git work tree
    CHECK(r.out.find("(commit " + head.out.substr(0, 12)) != std::string::npos);
  } else {
    CHECK(r.out == "sslbind " SSLBIND_PROJECT_VERSION "\n");
  }
}

TEST_CASE("SSLBIND_ROOT chooses the root when --root is absent") {
  TempDir root;
  auto r =
      run_process({SSLBIND_BINARY, "add", "sslcert", "ccs=443", "appid=" + kAppId}, {"SSLBIND_ROOT=" + root.str()});
  CHECK(r.exit_code == 0);
  CHECK(read_file(root.path() / "registry.json").find("SslCcsBindingInfo") != std::string::npos);
}

TEST_CASE("netsh forms: shortened tags and values without tags") {
  Sslbind sslbind;
  auto r = sslbind({"add", "sslcert", "ipp=0.0.0.0:443", "certh=" + hash0(), "appi=" + kAppId, "certs=MY"});
  CHECK(r.err == "");
  CHECK(r.out == "SSL Certificate successfully added\n");
  r = sslbind({"add", "sslcert", "0.0.0.0:8443", hash1(), kAppId});  // DOC-OLD's [ipport=] [certhash=] [appid=]
  CHECK(r.out == "SSL Certificate successfully added\n");
  CHECK(sslbind({"show", "sslcert", "0.0.0.0:8443"}).out.find("Certificate Hash             : " + hash1()) !=
        std::string::npos);
  const std::string before = sslbind.registry();
  r = sslbind({"update", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash1(), "appid=" + kAppId, "disable=enable"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("'disable' is short for more than one parameter of update sslcert: disablehttp2, disablequic") !=
        std::string::npos);
  CHECK(sslbind.registry() == before);
  CHECK(sslbind({"delete", "sslcert", "0.0.0.0:8443"}).out == "SSL Certificate successfully deleted\n");
  CHECK(sslbind({"delete", "sslcert", "ip=0.0.0.0:443"}).out == "SSL Certificate successfully deleted\n");
  CHECK(sslbind({"show", "sslcert", "--json"}).out.find("\"bindings\": []") != std::string::npos);
}
