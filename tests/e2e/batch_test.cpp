// sslbind -f FILE: one transaction per script, rollback on any failing line, --dry-run, --add-or-update.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/sslbind_runner.hpp"

using namespace sslbind::test;
using nlohmann::json;

namespace {

std::string add(const std::string& key, const std::string& hash) {
  return "http add sslcert " + key + " certhash=" + hash + " appid=" + kAppId + "\n";
}

struct Script {
  TempDir dir;
  std::string path = (dir.path() / "bindings.txt").string();
  explicit Script(const std::string& text) { write_file(path, text); }
};

}  // namespace

TEST_CASE("-f runs a script as one transaction") {
  Sslbind sslbind;
  Script script("# the front end\n" + add("ipport=0.0.0.0:443", hash0()) + "\n" +
                "netsh http add sslcert ccs=443 appid=\"" + kAppId + "\"\n" +
                "add sslcert hostnameport=www.contoso.com:443 certhash=" + hash1() + " appid=" + kAppId +
                " certstorename=WebHosting\n");
  auto r = sslbind({"-f", script.path});
  CHECK(r.err == "");
  CHECK(r.exit_code == 0);
  CHECK(r.out ==
        "line 2: ipport=0.0.0.0:443 created\nline 4: ccs=443 created\n"
        "line 5: hostnameport=www.contoso.com:443 created\n3 created, 0 updated, 0 unchanged, 0 deleted\n");
  CHECK(json::parse(sslbind({"--json", "show", "sslcert"}).out)["bindings"].size() == 3);
}

TEST_CASE("-f: a failing line rolls the whole script back and is named") {
  Sslbind sslbind;
  REQUIRE(sslbind({"add", "sslcert", "ipport=10.0.0.5:443", "certhash=" + hash0(), "appid=" + kAppId}).exit_code == 0);
  const std::string before = sslbind.registry();
  Script taken(add("ipport=0.0.0.0:443", hash0()) + add("ipport=[::]:443", hash0()) +
               add("ipport=10.0.0.5:443", hash1()));
  auto r = sslbind({"-f", taken.path});
  CHECK(r.exit_code == 1);
  CHECK(r.out + r.err ==
        "SSL Certificate add failed, Error: 183\nCannot create a file when that file already exists.\n"
        "line 3: ipport=10.0.0.5:443 already has a binding; use update sslcert to change it, or delete it "
        "first\n");
  CHECK(sslbind.registry() == before);

  Script bad_value(add("ipport=0.0.0.0:443", hash0()) + "add sslcert ipport=0.0.0.0:70000 certhash=" + hash0() +
                   " appid=" + kAppId + "\n");
  r = sslbind({"-f", bad_value.path});
  CHECK(r.exit_code == 2);
  CHECK((r.out + r.err).starts_with("The parameter is incorrect.\nline 2: "));
  CHECK(sslbind.registry() == before);

  Script not_in_store(add("ipport=0.0.0.0:443", hash0()) + add("ipport=[::]:443", std::string(40, 'e')));
  r = sslbind({"-f", not_in_store.path});
  CHECK(r.exit_code == 1);
  CHECK(r.out.starts_with("SSL Certificate add failed, Error: 1312\n"));
  CHECK(r.err.find("line 2: certificate eeee") != std::string::npos);
  CHECK(sslbind.registry() == before);

  const json j = json::parse(sslbind({"--json", "-f", taken.path}).out);
  CHECK(j["status"] == "error");
  CHECK(j["error"]["win32"] == 183);
  CHECK(sslbind({"-f", taken.dir.str() + "/missing.txt"}).exit_code == 2);
}

TEST_CASE("-f --dry-run reports and writes nothing, --add-or-update is idempotent, -f - reads stdin") {
  Sslbind sslbind;
  Script script(add("ipport=0.0.0.0:443", hash0()) + "add sslcert ccs=443 appid=" + kAppId + "\n" +
                "delete sslcert ipport=[::]:443\n");
  auto r = sslbind({"--dry-run", "--add-or-update", "-f", script.path});
  CHECK(r.exit_code == 0);
  CHECK(r.out.ends_with("2 created, 0 updated, 1 unchanged, 0 deleted (dry run: nothing was written)\n"));
  CHECK_FALSE(std::filesystem::exists(sslbind.root.path() / "registry.json"));

  CHECK(
      sslbind({"--add-or-update", "-f", script.path}).out.ends_with("2 created, 0 updated, 1 unchanged, 0 deleted\n"));
  const std::string after = sslbind.registry();
  r = sslbind({"--add-or-update", "-f", script.path});
  CHECK(r.out ==
        "line 1: ipport=0.0.0.0:443 unchanged\nline 2: ccs=443 unchanged\nline 3: ipport=[::]:443 "
        "unchanged\n0 created, 0 updated, 3 unchanged, 0 deleted\n");
  CHECK(sslbind.registry() == after);
  // Without --add-or-update the same script is netsh's: the add fails on the taken key.
  CHECK(sslbind({"-f", script.path}).exit_code == 1);

  Script changed(add("ipport=0.0.0.0:443", hash1()));
  const json j = json::parse(sslbind({"--json", "--add-or-update", "-f", changed.path}).out);
  CHECK(j["changes"][0] == json({{"line", 1}, {"key", "ipport=0.0.0.0:443"}, {"result", "updated"}}));
  CHECK(j["updated"] == 1);

  std::vector<std::string> pipe{"/bin/sh", "-c", "printf 'delete sslcert ccs=443\\n' | \"$@\" -f -", "sh"};
  for (const auto& word : sslbind.command_line()) pipe.push_back(word);
  const auto piped = run_process(pipe);
  CHECK(piped.out == "line 1: ccs=443 deleted\n0 created, 0 updated, 0 unchanged, 1 deleted\n");
  CHECK(sslbind({"--dry-run", "show", "sslcert"}).exit_code == 2);
}

// Windows saves a script as UTF-16LE with a byte order mark (`netsh http dump > f` in Windows PowerShell 5.1,
// `Out-File`), as UTF-8 with one (Notepad, `Set-Content -Encoding UTF8`), with CRLF line ends: each runs as its
// UTF-8 text would.
TEST_CASE("-f decodes a script saved as UTF-16 or UTF-8 with a byte order mark, with CRLF line ends") {
  const std::string text = "pushd http\r\n" + add("ipport=0.0.0.0:443", hash0()) + "\r\npopd\r\n";
  auto utf16 = [&](bool little) {
    std::string out = little ? "\xFF\xFE" : "\xFE\xFF";
    for (const char c : text) {
      out += little ? std::string{c, '\0'} : std::string{'\0', c};
    }
    return out;
  };
  for (const auto& form : std::vector<std::pair<std::string, std::string>>{
           {"UTF-16LE", utf16(true)}, {"UTF-16BE", utf16(false)}, {"UTF-8 with BOM", "\xEF\xBB\xBF" + text}}) {
    const std::string& name = form.first;  // clang 14 cannot CAPTURE a structured binding
    const std::string& bytes = form.second;
    CAPTURE(name);
    Sslbind sslbind;
    Script script(bytes);
    const auto r = sslbind({"-f", script.path});
    CHECK(r.err == "");
    CHECK(r.exit_code == 0);
    CHECK(r.out == "line 2: ipport=0.0.0.0:443 created\n1 created, 0 updated, 0 unchanged, 0 deleted\n");
  }
  // UTF-16 without a byte order mark cannot be told from binary: refused with the line and the encoding expected.
  Sslbind sslbind;
  std::string bare = utf16(true).substr(2);
  Script script(bare);
  const auto r = sslbind({"-f", script.path});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("line 1") != std::string::npos);
  CHECK(sslbind({"show", "sslcert"}).out.find("0.0.0.0:443") == std::string::npos);
}

// A whole `netsh http dump` holds URL reservations (every Windows machine has some), IP listen entries and timeouts,
// and a whole `netsh dump` other contexts: the sslcert and iplisten lines run, the rest is listed as skipped.
TEST_CASE("-f runs a whole netsh dump: sslcert and iplisten lines applied, other objects and contexts skipped") {
  Sslbind sslbind;
  const std::string dump =
      "\r\n#========================\r\n# Configuration for HTTP\r\n#========================\r\n"
      "pushd http\r\n\r\n"
      "add iplisten ipaddress=10.0.0.5\r\n" +
      add("ipport=0.0.0.0:443", hash0()) +
      "add timeout timeouttype=idleconnectiontimeout value=120\r\n"
      "add urlacl url=http://+:80/Temporary_Listen_Addresses/ sddl=D:(A;;GX;;;WD)\r\n"
      "\r\npopd\r\n"
      "pushd interface ipv4\r\nset global icmpredirects=enabled\r\npopd\r\n";
  std::string utf16 = "\xFF\xFE";
  for (const char c : dump) utf16 += std::string{c, '\0'};
  Script script(utf16);
  const auto r = sslbind({"-f", script.path});
  CHECK(r.err == "");
  CHECK(r.exit_code == 0);
  CHECK(r.out ==
        "line 7: ipaddress=10.0.0.5 created\n"
        "line 8: ipport=0.0.0.0:443 created\n"
        "line 9: skipped, not sslbind's: add timeout timeouttype=idleconnectiontimeout value=120\n"
        "line 10: skipped, not sslbind's: add urlacl url=http://+:80/Temporary_Listen_Addresses/ sddl=D:(A;;GX;;;WD)\n"
        "line 13: skipped, not sslbind's: pushd interface ipv4\n"
        "line 14: skipped, not sslbind's: set global icmpredirects=enabled\n"
        "line 15: skipped, not sslbind's: popd\n"
        "2 created, 0 updated, 0 unchanged, 0 deleted, 5 skipped\n");
  CHECK(sslbind({"show", "iplisten"}).out.find("\n    10.0.0.5\n") != std::string::npos);
  Sslbind again;
  const auto j = json::parse(again({"--json", "-f", script.path}).out);
  REQUIRE(j["skipped"].size() == 5);
  CHECK(j["skipped"][1]["line"] == 10);
  CHECK(j["skipped"][1]["command"] == "add urlacl url=http://+:80/Temporary_Listen_Addresses/ sddl=D:(A;;GX;;;WD)");
  CHECK(j["changes"][0]["key"] == "ipaddress=10.0.0.5");
  CHECK(j["created"] == 2);
  // sslbind's own objects are still no batch line: they are refused, not skipped.
  Script own("add cert file=a.pfx\n");
  CHECK(Sslbind()({"-f", own.path}).exit_code == 2);
}
