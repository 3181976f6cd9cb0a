#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/sslbind_runner.hpp"

using namespace sslbind::test;
using nlohmann::json;

namespace {

// What Windows Server 2022 lists under a binding whose extended properties were never set.
const std::string kDefaultExtendedProperties =
    " Extended Properties:\n"
    "    PropertyId                   : 0\n"
    "    Receive Window               : 1048576\n"
    " Extended Properties:\n"
    "    PropertyId                   : 1\n"
    "    Max Settings Per Frame       : 2796202\n"
    "    Max Settings Per Minute      : 4294967295\n"
    " Extended Properties:\n"
    "    PropertyId                   : 2\n"
    " Extended Properties:\n"
    "    PropertyId                   : 3\n"
    " Extended Properties:\n"
    "    PropertyId                   : 4\n";

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
         "    Enable Caching Client Hello  : Not Set\n" +
         kDefaultExtendedProperties + "\n";
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
  // json=enable prints Windows' document, not sslbind's.
  j = json::parse(sslbind({"show", "sslcert", "json=enable"}).out);
  REQUIRE(j["SslCertificateBindings"].size() == 2);
  CHECK(j["SslCertificateBindings"][1]["LocalAddress"] == "0.0.0.0:8443");
  CHECK(j["status"] == 0);

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

TEST_CASE("update sslpropertyex sets an extended property that show lists and update sslcert keeps") {
  Sslbind sslbind;
  REQUIRE(sslbind({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId}).exit_code == 0);
  auto r = sslbind({"update", "sslpropertyex", "ipport=0.0.0.0:443", "propertyid=0", "receivewindow=262144"});
  CHECK(r.out == "SSL Certificate successfully updated\n");
  r = sslbind({"--json", "upd", "sslp", "ipport=0.0.0.0:443", "propertyid=1", "maxsettingsperframe=100"});
  CHECK(json::parse(r.out)["binding"]["extendedProperties"] ==
        json({{"receivewindow", 262144}, {"maxsettingsperframe", 100}, {"maxsettingsperminute", 4294967295U}}));
  const std::string shown = sslbind({"show", "sslcert", "ipport=0.0.0.0:443"}).out;
  CHECK(shown.find("    Enable Caching Client Hello  : Not Set\n"
                   " Extended Properties:\n"
                   "    PropertyId                   : 0\n"
                   "    Receive Window               : 262144\n"
                   " Extended Properties:\n"
                   "    PropertyId                   : 1\n"
                   "    Max Settings Per Frame       : 100\n"
                   "    Max Settings Per Minute      : 4294967295\n"
                   " Extended Properties:\n"
                   "    PropertyId                   : 2\n") != std::string::npos);
  CHECK(sslbind.registry().find("\"Http2ReceiveWindowSize\":{\"data\":262144,\"type\":\"REG_DWORD\"}") !=
        std::string::npos);
  // update sslcert replaces the SSL parameters only.
  REQUIRE(sslbind({"update", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash1(), "appid=" + kAppId}).exit_code ==
          0);
  CHECK(json::parse(sslbind({"--json", "show", "sslcert"}).out)["bindings"][0]["extendedProperties"]["receivewindow"] ==
        262144);

  // Refusals name the value and the rule, and leave the registry as it was.
  const std::string before = sslbind.registry();
  const std::vector<std::pair<std::vector<std::string>, std::string>> refusals{
      {{"propertyid=2"},
       "propertyid=2 (HttpPerformance) is not one netsh sets; update sslpropertyex takes propertyid=0 "
       "(receivewindow=) and propertyid=1 (maxsettingsperframe=, maxsettingsperminute=)"},
      {{"propertyid=7"},
       "propertyid=7 is not a property HTTP.SYS knows; update sslpropertyex takes propertyid=0 "
       "(receivewindow=) and propertyid=1 (maxsettingsperframe=, maxsettingsperminute=)"},
      {{"propertyid=0", "receivewindow=0"},
       "receivewindow=0 is not an HTTP/2 flow-control window; it takes 1 to 2147483647 bytes"},
      {{"propertyid=0", "receivewindow=2147483648"},
       "receivewindow=2147483648 is not an HTTP/2 flow-control window; it takes 1 to 2147483647 bytes"},
      {{"propertyid=0", "receivewindow=lots"},
       "receivewindow 'lots' is not a decimal number; it takes an unsigned 32-bit number"},
      {{"propertyid=1", "receivewindow=5"},
       "receivewindow= belongs to propertyid=0 (Http2Window), not propertyid=1; set it in a command of its own"},
      {{"propertyid=0", "windowsize=5"},
       "'windowsize' is not a parameter of update sslpropertyex; see 'sslbind update "
       "sslpropertyex help'"},
  };
  for (const auto& refusal : refusals) {
    const std::string& why = refusal.second;
    std::vector<std::string> command{"update", "sslpropertyex", "ipport=0.0.0.0:443"};
    command.insert(command.end(), refusal.first.begin(), refusal.first.end());
    r = sslbind(command);
    CAPTURE(why);
    CHECK(r.exit_code == 2);
    CHECK(r.out + r.err == "The parameter is incorrect.\n" + why + "\n");
  }
  r = sslbind({"update", "sslpropertyex", "ipport=0.0.0.0:443", "propertyid=1"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("update sslpropertyex propertyid=1 needs maxsettingsperframe=<u-int>, maxsettingsperminute=<u-int> "
                   "or both") != std::string::npos);
  r = sslbind({"update", "sslpropertyex", "ipport=10.0.0.1:443", "propertyid=0", "receivewindow=5"});
  CHECK(r.exit_code == 1);
  CHECK(r.out + r.err ==
        "SSL Certificate update failed, Error: 2\nThe system cannot find the file specified.\nipport=10.0.0.1:443 "
        "has no binding\n");
  CHECK(sslbind({"add", "sslpropertyex", "ipport=0.0.0.0:443"}).exit_code == 2);
  CHECK(sslbind.registry() == before);
  // update alone is ambiguous between the two objects it takes; show is not.
  r = sslbind({"update", "ssl", "ipport=0.0.0.0:443"});
  CHECK(r.exit_code == 2);
  CHECK(r.out + r.err ==
        "The following command was not found: update ssl ipport=0.0.0.0:443\n'ssl' is short for more than "
        "one object of update: sslcert and sslpropertyex; give more of the name\n");
  CHECK(sslbind({"sh", "ssl"}).exit_code == 0);
}

TEST_CASE("show sslcert json=enable prints the document Windows prints, for every family") {
  Sslbind sslbind;
  REQUIRE(sslbind({"add", "sslcert", "ipport=[::1]:8443", "certhash=" + hash0(), "appid=" + kAppId,
                   "disablehttp2=enable", "revocationfreshnesstime=30"})
              .exit_code == 0);
  REQUIRE(sslbind({"add", "sslcert", "hostnameport=www.contoso.com:443", "certhash=" + hash1(), "appid=" + kAppId,
                   "certstorename=WebHosting", "sslctlstorename=CA"})
              .exit_code == 0);
  REQUIRE(sslbind({"add", "sslcert", "ccs=443", "appid=" + kAppId}).exit_code == 0);
  REQUIRE(sslbind({"add", "sslcert", "scopedccs=shop.contoso.com:443", "appid=" + kAppId}).exit_code == 0);
  const auto r = sslbind({"show", "sslcert", "json=enable"});
  CHECK(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["status"] == 0);
  CHECK(j["message"] == "The operation completed successfully.");
  const json& b = j["SslCertificateBindings"];
  REQUIRE(b.size() == 4);
  CHECK(b[0]["IpPort"] == "[::1]:8443");
  CHECK(b[0]["ConfigType"] == 1);
  CHECK(b[0]["AppId"] == "4dc3e181-e14b-4a21-b022-59fc669b0914");
  CHECK(b[0]["GuidString"] == kAppId);
  CHECK(b[0]["SslCertStoreName"] == nullptr);
  CHECK(b[0]["DefaultFlags"] == 0x10);
  CHECK(b[0]["DefaultCertCheckMode"] == 4);
  CHECK(b[0]["DefaultRevocationFreshnessTime"] == 30);
  // SslHash is the hash's bytes in base64, as .NET writes a byte array: decoded with openssl, it is the thumbprint.
  TempDir dir;
  write_file(dir.path() / "hash.b64", b[0]["SslHash"].get<std::string>() + "\n");
  const auto hex = run_process({"/bin/sh", "-c", "openssl base64 -d -in \"$1\" | od -An -tx1 | tr -d ' \\n'", "sh",
                                (dir.path() / "hash.b64").string()});
  CHECK(hex.out == hash0());
  CHECK(b[1]["IpPort"] == "0.0.0.0:443");
  CHECK(b[1]["Host"] == "www.contoso.com");
  CHECK(b[1]["ConfigType"] == 5);
  CHECK(b[1]["SslCertStoreName"] == "WebHosting");
  CHECK(b[1]["DefaultSslCtlStoreName"] == "CA");
  CHECK(b[2]["LocalAddress"] == "0.0.0.0:443");
  CHECK(b[2]["ConfigType"] == 6);
  CHECK(b[2]["SslHash"] == "");
  CHECK(b[3]["Host"] == "shop.contoso.com");
  CHECK(b[3]["ConfigType"] == 11);
  // --json keeps sslbind's own schema.
  CHECK(json::parse(sslbind({"--json", "show", "sslcert"}).out)["bindings"].size() == 4);
}

// netsh http add|delete|show iplisten: its texts, its error numbers (183, 2) on standard output, the list kept in
// HTTP\Parameters\ListenOnlyList as Windows keeps it.
TEST_CASE("iplisten: add, delete and show as netsh, 183 and 2, the list in ListenOnlyList") {
  Sslbind sslbind;
  auto r = sslbind({"add", "iplisten", "ipaddress=10.0.0.5"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "IP address successfully added\n");
  CHECK(sslbind({"http", "add", "iplisten", "[fe80::1]"}).exit_code == 0);  // the API's bracketed form, no tag
  r = sslbind({"add", "iplisten", "ipaddress=10.0.0.5"});
  CHECK(r.exit_code == 1);
  CHECK(r.out == "IP address add failed, Error: 183\nCannot create a file when that file already exists.\n");
  CHECK(r.err.find("ipaddress 10.0.0.5 is already in the IP listen list") != std::string::npos);
  CHECK(sslbind({"show", "iplisten"}).out ==
        "\nIP addresses present in the IP listen list:\n-------------------------------------------\n\n"
        "    10.0.0.5\n    fe80::1\n\n");
  const json doc = json::parse(sslbind({"--json", "show", "iplisten"}).out);
  CHECK(doc["addresses"] == json::array({"10.0.0.5", "fe80::1"}));
  CHECK(sslbind.registry().find("\"ListenOnlyList\":{\"data\":[\"10.0.0.5\",\"fe80::1\"],\"type\":\"REG_MULTI_SZ\"}") !=
        std::string::npos);
  r = sslbind({"delete", "iplisten", "ipaddress=10.0.0.6"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.starts_with("IP address deletion failed, Error: 2\n"));
  const std::string before = sslbind.registry();
  for (const auto& bad : std::vector<std::vector<std::string>>{{"add", "iplisten"},
                                                               {"add", "iplisten", "ipaddress=10.0.0.256"},
                                                               {"add", "iplisten", "ipaddress=fe80::1%eth0"},
                                                               {"add", "iplisten", "port=443"},
                                                               {"show", "iplisten", "ipaddress=10.0.0.5"}}) {
    const auto refused = sslbind(bad);
    CHECK(refused.exit_code != 0);
    CHECK(sslbind.registry() == before);
  }
  CHECK(sslbind({"add", "iplisten", "ipaddress=10.0.0.256"}).err.find("ipaddress: IP address '10.0.0.256'") !=
        std::string::npos);
  CHECK(sslbind({"delete", "iplisten", "10.0.0.5"}).out == "IP address successfully deleted\n");
  CHECK(sslbind({"delete", "iplisten", "fe80::1"}).exit_code == 0);
  CHECK(sslbind.registry().find("ListenOnlyList") == std::string::npos);  // an empty list is no value, as on Windows
}

// set tlspolicy and show tlspolicy: Mozilla's profiles, changes by name, and names OpenSSL does not know refused.
TEST_CASE("tlspolicy: intermediate by default, profiles and changes set, unknown names refused by name") {
  Sslbind sslbind;
  json doc = json::parse(sslbind({"--json", "show", "tlspolicy"}).out)["tlsPolicy"];
  CHECK(doc["profile"] == "intermediate");
  CHECK(doc["set"] == false);
  CHECK(doc["protocols"] == json::array({"TLSv1.2", "TLSv1.3"}));
  CHECK(doc["preference"] == "client");
  CHECK(sslbind({"show", "tlspolicy"}).out.find("    Profile                      : intermediate (the default") !=
        std::string::npos);

  auto r = sslbind({"set", "tlspolicy", "profile=modern"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.starts_with("TLS policy successfully set\n"));
  doc = json::parse(sslbind({"--json", "show", "tlspolicy"}).out)["tlsPolicy"];
  CHECK(doc["profile"] == "modern");
  CHECK(doc["set"] == true);
  CHECK(doc["protocols"] == json::array({"TLSv1.3"}));
  CHECK(doc["ciphers"] == "");
  CHECK(sslbind.registry().find("\"TlsPolicy\":{") != std::string::npos);

  // A change on top of the profile in force makes it custom; the same values again keep its name.
  CHECK(sslbind({"set", "tlspolicy", "profile=old", "preference=server"}).exit_code == 0);
  CHECK(json::parse(sslbind({"--json", "show", "tlspolicy"}).out)["tlsPolicy"]["profile"] == "old");
  CHECK(sslbind({"set", "tlspolicy", "groups=X25519"}).exit_code == 0);
  doc = json::parse(sslbind({"--json", "show", "tlspolicy"}).out)["tlsPolicy"];
  CHECK(doc["profile"] == "custom");
  CHECK(doc["groups"] == "X25519");
  CHECK(doc["protocols"] == json::array({"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}));

  const std::string before = sslbind.registry();
  for (const auto& refusal : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"set", "tlspolicy", "ciphers=ECDHE-RSA-AES128-GCM-SHA256:NOT-A-CIPHER"},
            "ciphers: 'NOT-A-CIPHER' is a cipher or cipher keyword OpenSSL"},
           {{"set", "tlspolicy", "ciphersuites=TLS_AES_128_GCM_SHA256:TLS_NOPE"},
            "ciphersuites: 'TLS_NOPE' is a TLS 1.3 suite OpenSSL"},
           {{"set", "tlspolicy", "groups=X25519:secp1r1"}, "groups: 'secp1r1' is a group OpenSSL"},
           {{"set", "tlspolicy", "sigalgs=RSA+MD4"}, "sigalgs: 'RSA+MD4' is a signature algorithm OpenSSL"},
           {{"set", "tlspolicy", "protocols=SSLv3"}, "protocols: 'sslv3' is not a protocol sslbind offers"},
           {{"set", "tlspolicy", "profile=paranoid"}, "profile 'paranoid' is not one of Mozilla's"},
           {{"set", "tlspolicy", "preference=mine"}, "preference 'mine' is neither server"},
           {{"set", "tlspolicy", "ciphers=ECDHE-RSA-AES128-GCM-SHA256 AES128-SHA"}, "holds a blank"},
           {{"set", "tlspolicy", "protocols=TLSv1.2", "ciphers="}, "include TLS 1.2 or below, but ciphers gives none"},
           {{"set", "tlspolicy", "ciphersuites="}, "include TLSv1.3, but ciphersuites is empty"},
           {{"set", "tlspolicy"}, "set tlspolicy needs profile="},
           {{"set", "cipherpolicy"}, "set takes tlspolicy"},
       }) {
    // Not a structured binding: clang 14 lets no lambda (doctest's CAPTURE) refer to one.
    const auto& args = refusal.first;
    const std::string& message = refusal.second;
    const auto refused = sslbind(args);
    CAPTURE(message);
    CHECK(refused.exit_code != 0);
    CHECK(refused.err.find(message) != std::string::npos);
    CHECK(sslbind.registry() == before);
  }
}
