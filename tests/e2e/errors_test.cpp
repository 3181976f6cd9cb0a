// Every error: exact text, exit code, and the registry's bytes unchanged afterwards.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/sslbind_runner.hpp"

using namespace sslbind::test;

namespace {

// A registry with one binding of each of two kinds, so that "unchanged" is a real comparison.
void seed(const Sslbind& s) {
  REQUIRE(s({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId}).exit_code == 0);
  REQUIRE(s({"add", "sslcert", "ccs=443", "appid=" + kAppId}).exit_code == 0);
}

struct Case {
  std::vector<std::string> args;
  int exit_code;
  std::string err;
};

void check_case(const Case& c) {
  Sslbind sslbind;
  seed(sslbind);
  const std::string before = sslbind.registry();
  const auto r = sslbind(c.args);
  CAPTURE(c.args);
  CHECK(r.exit_code == c.exit_code);
  CHECK(r.out + r.err == c.err);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // sslbind's one line; netsh's are on stdout
  CHECK(sslbind.registry() == before);
  // The same failure as JSON: one document on stdout, same exit code.
  std::vector<std::string> json_args = c.args;
  json_args.insert(json_args.begin(), "--json");
  const auto j = sslbind(json_args);
  CHECK(j.exit_code == c.exit_code);
  const auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["status"] == "error");
  CHECK(doc["error"]["exitCode"] == c.exit_code);
  CHECK(j.err.empty());
  CHECK(sslbind.registry() == before);
}

const std::string kParam = "The parameter is incorrect.\n";

}  // namespace

TEST_CASE("183: add on an existing key") {
  check_case({{"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId},
              1,
              "SSL Certificate add failed, Error: 183\nCannot create a file when that file already exists.\n"
              "ipport=0.0.0.0:443 already has a binding; use update sslcert to change it, or delete it first\n"});
}

TEST_CASE("2: update, delete and show of a missing key") {
  check_case({{"update", "sslcert", "ipport=10.0.0.1:443", "certhash=" + hash0(), "appid=" + kAppId},
              1,
              "SSL Certificate update failed, Error: 2\nThe system cannot find the file specified.\n"
              "ipport=10.0.0.1:443 has no binding to update; use add sslcert\n"});
  check_case({{"delete", "sslcert", "hostnameport=www.contoso.com:443"},
              1,
              "SSL Certificate deletion failed, Error: 2\nThe system cannot find the file specified.\n"
              "hostnameport=www.contoso.com:443 has no binding\n"});
  // netsh prints the listing's header, then its error, both on standard output.
  check_case({{"show", "sslcert", "ccs=8443"},
              1,
              "\nSSL Certificate bindings:\n-------------------------\n\n\n\n"
              "The system cannot find the file specified.\nccs=8443 has no binding\n"});
  Sslbind sslbind;
  seed(sslbind);
  CHECK(sslbind({"show", "sslcert", "ccs=8443"}).out ==
        "\nSSL Certificate bindings:\n-------------------------\n\n\n\nThe system cannot find the file specified.\n");
}

TEST_CASE("87: each validator's error reaches the user in one line") {
  const std::string ip = "ipport=0.0.0.0:8443";
  const std::string hash = "certhash=" + hash0();
  const std::string app = "appid=" + kAppId;
  check_case({{"add", "sslcert", ip, "certhash=\xE2\x80\x8E" + hash0(), app},
              2,
              kParam + "certhash '<U+200E>" + hash0() +
                  "' contains the invisible or non-ASCII character U+200E LEFT-TO-RIGHT MARK at position 1 (the "
                  "Windows certificate dialog adds this invisible mark when you copy the thumbprint); retype the "
                  "value or delete that character\n"});
  check_case({{"add", "sslcert", ip, "certhash=0102", app},
              2,
              kParam + "certhash '0102' has 4 hex digits; a SHA-1 thumbprint has exactly 40\n"});
  check_case({{"add", "sslcert", ip, hash, "appid={4dc3e181-e14b-4a21-b022-59fc669b0914"},
              2,
              kParam + "appid '{4dc3e181-e14b-4a21-b022-59fc669b0914' has an unmatched brace; an appid is a GUID like "
                       "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}, braces optional\n"});
  check_case({{"add", "sslcert", "ipport=0.0.0.0:70000", hash, app},
              2,
              kParam + "ipport '0.0.0.0:70000' has the port '70000', which is above 65535; a port is a number from 1 "
                       "to 65535\n"});
  check_case({{"add", "sslcert", "ipport=www.contoso.com:443", hash, app},
              2,
              kParam + "ipport address 'www.contoso.com' is not an IP address; for a host name use "
                       "hostnameport=<name:port>\n"});
  check_case({{"add", "sslcert", "hostnameport=www.contoso.com.:443", hash, app, "certstorename=MY"},
              2,
              kParam + "hostnameport host name 'www.contoso.com.' ends with a dot; write the name without the trailing "
                       "dot\n"});
  check_case(
      {{"add", "sslcert", "ccs=0", app}, 2, kParam + "ccs '0' has port 0; a port is a number from 1 to 65535\n"});
  check_case({{"add", "sslcert", ip, hash, app, "clientcertnegotiation=on"},
              2,
              kParam + "clientcertnegotiation 'on' is neither enable nor disable\n"});
  check_case({{"add", "sslcert", ip, hash, app, "urlretrievaltimeout=10s"},
              2,
              kParam + "urlretrievaltimeout '10s' is not a decimal number; it takes an unsigned 32-bit number\n"});
  check_case({{"add", "sslcert", "ccs=8443", app, hash},
              2,
              kParam + "certhash= is not used with ccs=: the Central Certificate Store provider finds the certificate "
                       "by host name\n"});
  check_case({{"add", "sslcert", ip, hash, app, "bogus=1"},
              2,
              kParam + "'bogus' is not a parameter of add sslcert; see 'sslbind add sslcert help'\n"});
  check_case({{"delete", "sslcert", "ipport=0.0.0.0:443", hash},
              2,
              kParam + "certhash= is not used by delete sslcert, which takes only the binding key\n"});
  check_case(
      {{"add", "sslcert", ip, "ccs=8443", hash, app}, 2, kParam + "give one binding key, not both ipport= and ccs=\n"});
}

TEST_CASE("missing essential parameters print netsh's three lines, the missing one, and the usage") {
  Sslbind sslbind;
  seed(sslbind);
  const std::string before = sslbind.registry();
  const auto r = sslbind({"add", "sslcert", "ipport=0.0.0.0:8443", "certhash=" + hash0()});
  CHECK(r.exit_code == 2);
  CHECK(r.out.rfind("One or more essential parameters were not entered.\n"
                    "Verify the required parameters, and reenter them.\n"
                    "The syntax supplied for this command is not valid. Check help for the correct syntax.\n"
                    "\nUsage: add sslcert ",
                    0) == 0);
  CHECK(r.err == "add sslcert needs appid=<GUID>\n");
  CHECK(sslbind.registry() == before);
}

TEST_CASE("netsh checks that the essential parameters are there before it reads any value") {
  Sslbind sslbind;
  seed(sslbind);
  const std::string before = sslbind.registry();
  const std::string kEssential = "One or more essential parameters were not entered.\n";
  // The forms of IIS.WebManager#510 and of scripts that forget the key: values that are wrong as well.
  for (const auto& form : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"add", "sslcert", "ipport=0.0.0.0:55539", "certhash=myhash......"}, "add sslcert needs appid=<GUID>"},
           {{"add", "sslcert", "certhash=abc"}, "add sslcert needs the binding: ipport=<ipaddr:port>"},
           {{"add", "sslcert", "hostnameport=bad host:99999", "appid=x", "certhash=y"},
            "add sslcert with hostnameport= needs certstorename=<store>"},
           {{"update", "sslcert", "ipport=1.2.3:443", "appid=nope"}, "update sslcert with ipport= needs certhash="}}) {
    const auto& [args, missing] = form;
    CAPTURE(form.first[2]);  // clang 14: a lambda (CAPTURE's) cannot refer to a structured binding
    const auto r = sslbind(args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.rfind(kEssential, 0) == 0);
    CHECK(r.err.find(missing) != std::string::npos);
    CHECK(r.out.find("\nUsage: " + args[0] + " sslcert ") != std::string::npos);
  }
  // With every essential parameter there, a bad value is what is reported.
  const auto r = sslbind({"add", "sslcert", "ipport=0.0.0.0:55539", "certhash=myhash......", "appid=" + kAppId});
  CHECK((r.out + r.err).rfind("The parameter is incorrect.\ncerthash 'myhash......'", 0) == 0);
  CHECK(sslbind.registry() == before);
}

TEST_CASE("unknown commands") {
  check_case({{"http", "frob", "sslcert"},
              2,
              "The following command was not found: http frob sslcert\n'frob' is not a command; the commands are "
              "add, update, delete, show, init, resolve, check, set, export, import, dump and serve\n"});
  check_case({{"add", "urlacl", "url=http://+:80/"},
              2,
              "The following command was not found: add urlacl url=http://+:80/\n'urlacl' is not something sslbind "
              "manages; the objects are sslcert, sslpropertyex, cert, ccs, iplisten, tlspolicy, webfarm, route, "
              "frontend and farm\n"});
  check_case({{"--frobnicate", "show", "sslcert"},
              2,
              kParam + "The following argument was not expected: --frobnicate; see 'sslbind help'\n"});
}

TEST_CASE("3: a damaged registry is reported, left as it is, and not overwritten" *
          doctest::test_suite("registry file")) {
  Sslbind sslbind;
  write_file(sslbind.root.path() / "registry.json", "{\"schemaVersion\": 1, \"HKEY_");
  for (std::vector<std::string> args : {std::vector<std::string>{"show", "sslcert"},
                                        std::vector<std::string>{"add", "sslcert", "ccs=443", "appid=" + kAppId},
                                        std::vector<std::string>{"delete", "sslcert", "ccs=443"}}) {
    const auto r = sslbind(args);
    CHECK(r.exit_code == 3);
    CHECK(r.err == "sslbind: the registry " + (sslbind.root.path() / "registry.json").string() +
                       " is damaged or of another version (not valid JSON at byte 28); it was left as it is\n");
    CHECK(sslbind.registry() == "{\"schemaVersion\": 1, \"HKEY_");
  }
  write_file(sslbind.root.path() / "registry.json", "{\"schemaVersion\": 7}");
  const auto r = sslbind({"add", "sslcert", "ccs=443", "appid=" + kAppId});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("schemaVersion 7 is not supported") != std::string::npos);
  CHECK(r.out.empty());  // netsh has no text for it: standard error alone
  CHECK(sslbind.registry() == "{\"schemaVersion\": 7}");
}

TEST_CASE("1312: the certificate is not in the named store, or has no private key") {
  check_case({{"add", "sslcert", "ipport=0.0.0.0:8443", "certhash=0102030405060708090a0b0c0d0e0f1011121314",
               "appid=" + kAppId},
              1,
              "SSL Certificate add failed, Error: 1312\n"
              "A specified logon session does not exist. It may already have been terminated.\n"
              "certificate 0102030405060708090a0b0c0d0e0f1011121314 is not in store MY; import it with: sslbind add "
              "cert file=<pfx or pem> certstorename=MY\n"});
  check_case(
      {{"update", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId, "certstorename=Other"},
       1,
       "SSL Certificate update failed, Error: 1312\n"
       "A specified logon session does not exist. It may already have been terminated.\n"
       "certificate " +
           hash0() +
           " is not in store Other; import it with: sslbind add cert file=<pfx or pem> "
           "certstorename=Other\n"});

  // The same certificate without its key, in a store of its own.
  Sslbind sslbind;
  seed(sslbind);
  const auto& cert = test_certificate(0);
  const std::string crt_only = (sslbind.root.path() / "only.crt").string();
  const std::string pem = read_file(cert.pem);
  write_file(crt_only, pem.substr(0, pem.find("-----END CERTIFICATE-----") + 26));
  REQUIRE(sslbind({"add", "cert", "file=" + crt_only, "certstorename=NoKey"}).exit_code == 0);
  const std::string before = sslbind.registry();
  const auto r = sslbind({"add", "sslcert", "hostnameport=www.contoso.com:443", "certhash=" + hash0(),
                          "appid=" + kAppId, "certstorename=nokey"});
  CHECK(r.exit_code == 1);
  CHECK(r.out + r.err ==
        "SSL Certificate add failed, Error: 1312\n"
        "A specified logon session does not exist. It may already have been terminated.\n"
        "certificate " +
            hash0() +
            " is in store nokey without its private key; add it again from a PFX or "
            "with keyfile=\n");
  CHECK(sslbind.registry() == before);
}

TEST_CASE("3: a registry that cannot be written is reported and nothing is half-written") {
  TempDir dir;
  const auto not_a_folder = dir.path() / "root";
  write_file(not_a_folder, "a file where the root folder should be");
  const auto r =
      run_process({SSLBIND_BINARY, "--root", not_a_folder.string(), "add", "sslcert", "ccs=443", "appid=" + kAppId});
  CHECK(r.exit_code == 3);
  CHECK(r.err.rfind("sslbind: cannot create the folder " + not_a_folder.string() + ": ", 0) == 0);
  CHECK(read_file(not_a_folder) == "a file where the root folder should be");
  const auto j = run_process(
      {SSLBIND_BINARY, "--json", "--root", not_a_folder.string(), "add", "sslcert", "ccs=443", "appid=" + kAppId});
  CHECK(j.exit_code == 3);
  CHECK(nlohmann::json::parse(j.out)["error"]["kind"] == "registry-write-failed");
}

TEST_CASE("show json=enable reports a missing key as JSON too") {
  Sslbind sslbind;
  const auto r = sslbind({"show", "sslcert", "ccs=9443", "json=enable"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["SslCertificateBindings"].empty());
  CHECK(j["status"] == 2);
  CHECK(j["message"] == "The system cannot find the file specified.");
}

TEST_CASE("bytes that are not UTF-8 are refused, never an abort (exit 134 before)") {
  check_case({{"add", "ccs", "location=/srv/ccs\xff"},
              2,
              "The parameter is incorrect.\n'location=/srv/ccs\\xFF' is not valid UTF-8 (byte 0xFF at offset 17); "
              "sslbind keeps only "
              "UTF-8 text in the registry and its output\n"});
  check_case(
      {{"add", "sslcert", "hostnameport=www.contoso.com:443", "certhash=" + hash0(), "appid=" + kAppId,
        "sslctlidentifier=Tr\xc3\x28sted"},
       2,
       "The parameter is incorrect.\n'sslctlidentifier=Tr\\xC3(sted' is not valid UTF-8 (byte 0xC3 at offset 19); "
       "sslbind keeps only UTF-8 text in the registry and its output\n"});
  // A root that is not UTF-8 would reach the JSON output in error texts: it is refused before anything is read.
  Sslbind sslbind(EmptyRoot{});
  const auto r = run_process({SSLBIND_BINARY, "--root", "/srv/root\xff", "--json", "show", "sslcert"});
  CHECK(r.exit_code == 2);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["error"]["detail"] ==
        "--root '/srv/root\\xFF' is not valid UTF-8 (byte 0xFF at offset 9); sslbind keeps "
        "only UTF-8 text in the registry and its output");
  CHECK(run_process({SSLBIND_BINARY, "--root", "/srv/root\xff", "show", "sslcert"}).exit_code == 2);
}

// A store holds a certificate by its thumbprint's name: a file copied or renamed by hand must not pass for another
// certificate, neither for netsh's 1312 check, nor for check, nor for show cert.
TEST_CASE("1312: a store file whose certificate is not the one its name says is refused, and check reports it") {
  Sslbind sslbind;  // MY holds both test certificates
  REQUIRE(sslbind({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId}).exit_code == 0);
  const auto my = sslbind.root.path() / "stores" / "MY";
  REQUIRE(std::filesystem::exists(my / (hash0() + ".pem")));
  // Certificate 1 and its key saved under certificate 0's name.
  std::filesystem::copy_file(my / (hash1() + ".pem"), my / (hash0() + ".pem"),
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(my / (hash1() + ".key"), my / (hash0() + ".key"),
                             std::filesystem::copy_options::overwrite_existing);
  const std::string before = sslbind.registry();
  const auto r = sslbind({"add", "sslcert", "ipport=0.0.0.0:8443", "certhash=" + hash0(), "appid=" + kAppId});
  CHECK(r.exit_code == 1);
  CHECK(r.out.starts_with("SSL Certificate add failed, Error: 1312\n"));
  CHECK(r.err.find("store file MY/" + hash0() + ".pem holds certificate " + hash1()) != std::string::npos);
  CHECK(r.err.find("not the " + hash0() + " its name says") != std::string::npos);
  CHECK(sslbind.registry() == before);
  const auto checked = sslbind({"--json", "check"});
  CHECK(checked.exit_code == 1);
  const auto findings = nlohmann::json::parse(checked.out)["findings"];
  bool reported = false;
  for (const auto& f : findings) {
    if (f["rule"] == "certificate-unusable" && f["subject"] == "ipport=0.0.0.0:443" && f["severity"] == "error")
      reported = f["message"].get<std::string>().find("holds certificate " + hash1()) != std::string::npos;
  }
  CHECK(reported);
  CHECK(sslbind({"show", "cert"}).exit_code != 0);
}

// Published tooling that drives netsh (aspnet's Benchmarks NetShWrapper, for one) reads standard output only and
// looks for "Error: 183" there: netsh's lines go there, sslbind's one explaining line to standard error.
TEST_CASE("netsh's own lines go to standard output, sslbind's explaining line to standard error") {
  Sslbind sslbind;
  REQUIRE(sslbind({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId}).exit_code == 0);
  const auto r = sslbind({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId});
  CHECK(r.exit_code == 1);
  CHECK(r.out == "SSL Certificate add failed, Error: 183\nCannot create a file when that file already exists.\n");
  CHECK(r.err == "ipport=0.0.0.0:443 already has a binding; use update sslcert to change it, or delete it first\n");
  // Missing parameters: netsh's lines and the usage on standard output, what is missing on standard error.
  const auto missing = sslbind({"add", "sslcert", "ipport=0.0.0.0:8443"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.out.starts_with("One or more essential parameters were not entered.\n"));
  CHECK(missing.out.find("\nUsage: add sslcert ") != std::string::npos);
  CHECK(missing.err.find("add sslcert needs") == 0);
  CHECK(std::count(missing.err.begin(), missing.err.end(), '\n') == 1);
}
