// export reg (a Windows .reg file) and import netsh (the text of `netsh http show sslcert` from Windows).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/sslbind_runner.hpp"

using namespace sslbind::test;
using nlohmann::json;

namespace {

const std::filesystem::path kFixtures = std::filesystem::path(SSLBIND_SOURCE_DIR) / "tests" / "e2e" / "fixtures";

// A fixture with the test certificates' thumbprints in place of {HASH0} and {HASH1}, with Windows' CRLF line ends.
std::string fixture(const std::string& name) {
  std::string text = read_file(kFixtures / name);
  for (const auto& [mark, hash] :
       {std::pair{std::string("{HASH0}"), hash0()}, std::pair{std::string("{HASH1}"), hash1()}}) {
    for (auto at = text.find(mark); at != std::string::npos; at = text.find(mark)) text.replace(at, mark.size(), hash);
  }
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return crlf;
}

json bindings(const Sslbind& s) { return json::parse(s({"--json", "show", "sslcert"}).out)["bindings"]; }

// The ASCII text of a UTF-16LE file with its byte order mark.
std::string utf16_ascii(const std::string& bytes) {
  REQUIRE(bytes.substr(0, 2) == "\xFF\xFE");
  std::string out;
  for (std::size_t i = 2; i + 1 < bytes.size(); i += 2) {
    REQUIRE(bytes[i + 1] == '\0');
    out += bytes[i];
  }
  return out;
}

}  // namespace

TEST_CASE("import netsh reads Windows Server 2022's layout: extended properties, extra blank lines, CRLF") {
  Sslbind sslbind;
  TempDir dir;
  write_file(dir.path() / "show.txt", fixture("netsh_show_2022.txt"));
  auto r = sslbind({"import", "netsh", "file=" + (dir.path() / "show.txt").string()});
  CHECK(r.err == "");
  // The extended properties other than Windows' defaults follow their binding as update sslpropertyex lines.
  CHECK(r.out ==
        "line 5: ipport=0.0.0.0:443 created\nline 39: hostnameport=www.contoso.com:443 created\n"
        "line 39: hostnameport=www.contoso.com:443 updated\nline 39: hostnameport=www.contoso.com:443 updated\n"
        "line 79: ccs=443 created\n3 created, 2 updated, 0 unchanged, 0 deleted\n");
  const json b = bindings(sslbind);
  REQUIRE(b.size() == 3);
  CHECK(b[0]["certhash"] == hash0());
  CHECK(b[0]["certstorename"] == "MY");
  CHECK(b[0]["disablehttp2"] == true);
  CHECK(b[0]["disablelegacytls"] == true);
  CHECK(b[0]["DefaultFlags"] == (0x10 | 0x400 | 0x8000));  // Enable Caching Client Hello : Set
  CHECK(b[1]["hostnameport"] == "www.contoso.com:443");
  CHECK(b[1]["verifyclientcertrevocation"] == false);
  CHECK(b[1]["clientcertnegotiation"] == true);
  CHECK(b[1]["revocationfreshnesstime"] == 60);
  CHECK(b[0]["extendedProperties"]["receivewindow"] == 1048576);
  CHECK(b[1]["extendedProperties"] ==
        json({{"receivewindow", 262144}, {"maxsettingsperframe", 100}, {"maxsettingsperminute", 1000}}));
  CHECK(b[2]["ccs"] == 443);
  CHECK(b[2]["certhash"] == nullptr);
  // Importing again: 183 for netsh's add, or nothing to do with --add-or-update.
  CHECK(sslbind({"import", "netsh", "file=" + (dir.path() / "show.txt").string()}).exit_code == 1);
  CHECK(sslbind({"--add-or-update", "import", "netsh", "file=" + (dir.path() / "show.txt").string()})
            .out.ends_with("0 created, 0 updated, 5 unchanged, 0 deleted\n"));
  // What show prints, import reads back to the same registry.
  Sslbind again;
  write_file(dir.path() / "again.txt", sslbind({"show", "sslcert"}).out);
  REQUIRE(again({"import", "netsh", "file=" + (dir.path() / "again.txt").string()}).exit_code == 0);
  CHECK(again.registry() == sslbind.registry());
}

// Current Windows builds print "Enable Caching Client Hello" right after "Enable Session Ticket", with no "Disable
// Session ID" line: the first entry follows the listing a published Business Central on-premises set-up guide shows
// (its own thumbprint and application id replaced), the second is the same layout with options set.
TEST_CASE("import netsh reads a current layout without Disable Session ID, and still refuses a cut entry") {
  Sslbind sslbind(EmptyRoot{});
  TempDir dir;
  const std::string listing = fixture("netsh_show_current_without_session_id.txt");
  write_file(dir.path() / "show.txt", listing);
  auto r = sslbind({"--missing-certificates=allow", "import", "netsh", "file=" + (dir.path() / "show.txt").string()});
  CHECK(r.err == "");
  REQUIRE(r.exit_code == 0);
  const json b = bindings(sslbind);
  REQUIRE(b.size() == 2);
  CHECK(b[0]["ipport"] == "0.0.0.0:7048");
  CHECK(b[1]["disablehttp2"] == true);
  CHECK(b[1]["disablelegacytls"] == true);
  CHECK(b[1]["enablesessionticket"] == true);
  CHECK(b[1]["disablesessionid"] == false);
  // The same layout with a field of the second entry gone is cut, and says which.
  std::string cut = listing;
  const auto second = cut.find("0.0.0.0:7049");
  const auto ticket = cut.find("    Enable Session Ticket        : Set\r\n", second);
  REQUIRE(ticket != std::string::npos);
  cut.erase(ticket, std::string("    Enable Session Ticket        : Set\r\n").size());
  write_file(dir.path() / "cut.txt", cut);
  Sslbind other(EmptyRoot{});
  r = other({"--missing-certificates=allow", "import", "netsh", "file=" + (dir.path() / "cut.txt").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("line 43: the entry stops short of the fields the listing's other entries print: 'Enable Session "
                   "Ticket' missing; was the listing cut?") != std::string::npos);
}

// The fields are labelled: any order, and any set a Windows build prints, imports; what is really cut does not.
TEST_CASE("import netsh takes the fields in any order and any build's set, and refuses a listing that is cut") {
  const std::string listing = fixture("netsh_show_current_without_session_id.txt");
  const std::string first = listing.substr(0, listing.find("\r\n\r\n    IP:port", listing.find("0.0.0.0:7048")) + 4);
  TempDir dir;
  const auto import = [&](const std::string& text) {
    write_file(dir.path() / "show.txt", text);
    Sslbind sslbind(EmptyRoot{});
    auto r = sslbind({"--missing-certificates=allow", "import", "netsh", "file=" + (dir.path() / "show.txt").string()});
    return std::pair{r, r.exit_code == 0 ? bindings(sslbind) : json()};
  };
  const auto without = [](std::string text, const std::string& label) {
    for (auto at = text.find("    " + label); at != std::string::npos; at = text.find("    " + label)) {
      text.erase(at, text.find("\r\n", at) + 2 - at);
    }
    return text;
  };
  // Two flags a build did not print yet, and the lines in another order: the same binding.
  std::string older = without(without(first, "Disable TLS1.2 "), "Disable TLS1.3 ");
  const std::string reject = "    Reject Connections           : Disabled\r\n";
  older.erase(older.find(reject), reject.size());
  older.insert(older.find("    Certificate Hash"), reject);
  auto [r, b] = import(older);
  CHECK(r.err == "");
  REQUIRE(b.size() == 1);
  CHECK(b[0]["ipport"] == "0.0.0.0:7048");
  // Cut inside the flags: the fields end where no Windows layout ends.
  const std::string inside = first.substr(0, first.find("    Disable OCSP Stapling"));
  auto cut = import(inside);
  CHECK(cut.first.exit_code == 2);
  CHECK(cut.first.err.find("line 5: the fields end with 'Disable TLS1.3', where no Windows layout ends; was the "
                           "listing cut?") != std::string::npos);
  // Cut inside an Extended Properties block.
  const std::string block = first.substr(0, first.find("    Max Settings Per Minute"));
  cut = import(block);
  CHECK(cut.first.exit_code == 2);
  CHECK(cut.first.err.find("the Extended Properties block of PropertyId 1 lacks Max Settings Per Frame and Per "
                           "Minute") != std::string::npos);
  // Cut before the fields every Windows prints.
  cut = import(first.substr(0, first.find("    URL Retrieval Timeout")));
  CHECK(cut.first.exit_code == 2);
  CHECK(cut.first.err.find("the entry stops short of the fields every Windows prints: 'URL Retrieval Timeout'") !=
        std::string::npos);
}

TEST_CASE("import netsh refuses an extended property sslbind does not keep, naming it, and imports nothing") {
  Sslbind sslbind;
  TempDir dir;
  std::string text = fixture("netsh_show_2022.txt");
  const std::string id2 = "    PropertyId                   : 2\r\n";
  REQUIRE(text.find(id2) != std::string::npos);
  text.insert(text.find(id2) + id2.size(), "    Send Buffering Flags         : 1\r\n");
  write_file(dir.path() / "show.txt", text);
  auto r = sslbind({"import", "netsh", "file=" + (dir.path() / "show.txt").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.out + r.err ==
        "The parameter is incorrect.\nline 73: the extended property 'Send Buffering Flags' of PropertyId 2 "
        "(HttpPerformance) is not one sslbind keeps: it keeps Receive Window (0), Max Settings Per Frame and Max "
        "Settings Per Minute (1)\n");
  CHECK(bindings(sslbind).empty());
}

TEST_CASE("import netsh reads the Windows Server 2008 R2 layout, and sslbind's own show output") {
  Sslbind sslbind;
  TempDir dir;
  write_file(dir.path() / "old.txt", fixture("netsh_show_2008r2.txt"));
  auto r = sslbind({"--dry-run", "import", "netsh", "file=" + (dir.path() / "old.txt").string()});
  CHECK(r.out.ends_with("2 created, 0 updated, 0 unchanged, 0 deleted (dry run: nothing was written)\n"));
  CHECK(bindings(sslbind).empty());
  REQUIRE(sslbind({"import", "netsh", "file=" + (dir.path() / "old.txt").string()}).exit_code == 0);
  const json b = bindings(sslbind);
  REQUIRE(b.size() == 2);
  CHECK(b[0]["ipport"] == "0.0.0.0:443");
  CHECK(b[0]["certstorename"] == nullptr);
  CHECK(b[1]["ipport"] == "[::]:8443");
  CHECK(b[1]["appid"] == "{214124cd-d05b-4309-9af9-9caa44b2b74a}");

  // Round trip: what sslbind shows, another sslbind imports to the same bindings.
  write_file(dir.path() / "ours.txt", sslbind({"show", "sslcert"}).out);
  Sslbind other;
  REQUIRE(other({"import", "netsh", "file=" + (dir.path() / "ours.txt").string()}).exit_code == 0);
  CHECK(bindings(other) == b);
}

TEST_CASE("import netsh reads a (null) store of a hostnameport binding as MY and an empty Ctl value as (null)") {
  Sslbind sslbind;
  TempDir dir;
  // A binding made through the IIS API (no store) and a 2008 listing's empty Ctl lines.
  const std::string listing =
      "\nSSL Certificate bindings:\n-------------------------\n\n"
      "    Hostname:port           : www.contoso.com:443\n"
      "    Certificate Hash        : " +
      hash0() +
      "\n"
      "    Application ID          : " +
      kAppId +
      "\n"
      "    Certificate Store Name  : (null)\n"
      "    Verify Client Certificate Revocation    : Enabled\n"
      "    Verify Revocation Using Cached Client Certificate Only    : Disabled\n"
      "    Usage Check    : Enabled\n"
      "    Revocation Freshness Time : 0\n"
      "    URL Retrieval Timeout   : 0\n"
      "    Ctl Identifier          :\n"
      "    Ctl Store Name          : \n"
      "    DS Mapper Usage    : Disabled\n"
      "    Negotiate Client Certificate    : Disabled\n";
  write_file(dir.path() / "null.txt", listing);
  const std::string before = sslbind.registry();
  const auto r = sslbind({"import", "netsh", "file=" + (dir.path() / "null.txt").string()});
  CHECK(r.err == "");
  REQUIRE(r.exit_code == 0);
  const json b = bindings(sslbind);
  REQUIRE(b.size() == 1);
  CHECK(b[0]["hostnameport"] == "www.contoso.com:443");
  CHECK(b[0]["certstorename"] == nullptr);  // kept as Windows has it
  CHECK(b[0]["sslctlidentifier"] == nullptr);
  CHECK(b[0]["sslctlstorename"] == nullptr);
  CHECK(sslbind({"show", "sslcert", "hostnameport=www.contoso.com:443"})
            .out.find("Certificate Store Name       : (null)") != std::string::npos);
  // HTTP.SYS reads it from MY, and so does resolve.
  const auto resolved = sslbind({"resolve", "ipport=127.0.0.1:443", "hostname=www.contoso.com"});
  CHECK(resolved.out.find(hash0()) != std::string::npos);
  CHECK(resolved.out.find("MY") != std::string::npos);
  CHECK(before != sslbind.registry());
}

TEST_CASE("import netsh reads listings saved as UTF-16 with a byte order mark, refuses a code page") {
  const std::string ascii = fixture("netsh_show_2008r2.txt");
  auto utf16 = [&](bool little) {
    std::string out = little ? "\xFF\xFE" : "\xFE\xFF";
    for (char c : ascii) out += little ? std::string{c, '\0'} : std::string{'\0', c};
    return out;
  };
  TempDir dir;
  // PowerShell 5.1's `netsh http show sslcert > x.txt`, a big-endian copy, and `Out-File -Encoding utf8`.
  for (const auto& listing : std::vector<std::pair<std::string, std::string>>{
           {"le.txt", utf16(true)}, {"be.txt", utf16(false)}, {"bom.txt", "\xEF\xBB\xBF" + ascii}}) {
    const auto& [name, bytes] = listing;
    CAPTURE(listing.first);
    Sslbind sslbind;
    write_file(dir.path() / name, bytes);
    const auto r = sslbind({"import", "netsh", "file=" + (dir.path() / name).string()});
    CHECK(r.err == "");
    CHECK(r.exit_code == 0);
    CHECK(bindings(sslbind).size() == 2);
  }
  // cmd.exe's console code page (1252): refused in one line that names the line, the byte and what is read.
  Sslbind sslbind;
  const std::string before = sslbind.registry();
  std::string cp1252 = ascii;
  cp1252.replace(cp1252.find("(null)"), 6, "Caf\xE9");
  write_file(dir.path() / "cp1252.txt", cp1252);
  const auto r = sslbind({"import", "netsh", "file=" + (dir.path() / "cp1252.txt").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("is not UTF-8 (byte 0xE9 at offset") != std::string::npos);
  CHECK(r.err.find("a listing is read as UTF-8, or as UTF-16 with a byte order mark") != std::string::npos);
  CHECK(sslbind.registry() == before);
}

TEST_CASE("import netsh refuses a listing cut short, naming the entry and the labels it lacks") {
  std::string text = fixture("netsh_show_2022.txt");
  text = text.substr(0, text.find("    Revocation Freshness Time", text.find("Central Certificate Store")));
  Sslbind sslbind;
  TempDir dir;
  write_file(dir.path() / "cut.txt", text);
  const std::string before = sslbind.registry();
  const auto r = sslbind({"import", "netsh", "file=" + (dir.path() / "cut.txt").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("line 79: the entry stops short of the fields every Windows prints: 'Revocation Freshness Time', "
                   "'URL Retrieval Timeout'") != std::string::npos);
  CHECK(sslbind.registry() == before);
}

TEST_CASE("import netsh refuses a line it cannot read, with its number, and imports nothing") {
  Sslbind sslbind;
  TempDir dir;
  auto refused = [&](const std::string& text) {
    write_file(dir.path() / "bad.txt", text);
    const auto r = sslbind({"import", "netsh", "file=" + (dir.path() / "bad.txt").string()});
    CHECK(r.exit_code == 2);
    CHECK(bindings(sslbind).empty());
    return r.out + r.err;
  };
  const std::string good = fixture("netsh_show_2008r2.txt");
  CHECK(refused(good + "    Colour Of The Sky            : blue\r\n") ==
        "The parameter is incorrect.\nline 33: the label 'Colour Of The Sky' is not one netsh's show sslcert prints in "
        "English; netsh prints its labels in the system's language, and sslbind reads the English ones. For a "
        "listing in another language, save `netsh http show sslcert json=enable > bindings.json` on the Windows "
        "machine instead (the same in every language) and import that file\n");
  CHECK(
      refused("    Certificate Hash : " + hash0() + "\n").find("line 1: 'Certificate Hash' comes before any binding") !=
      std::string::npos);
  CHECK(refused("garbage\n").find("line 1: 'garbage' is not a \"Label : value\" line") != std::string::npos);
  CHECK(refused("    IP:port : 0.0.0.0:443\n    Certificate Hash : " + hash0() + "\n    Usage Check : Maybe\n")
            .find("line 3: Usage Check is 'Maybe'; netsh prints Enabled or Disabled") != std::string::npos);
  CHECK(refused("    IP:port : 0.0.0.0:443\n    Certificate Hash : " + hash0() + "\n")
            .find("line 1: add sslcert needs appid=<GUID>") != std::string::npos);
  CHECK(refused("    IP:port : 300.0.0.0:443\n").find("line 1: ") != std::string::npos);
  CHECK(sslbind({"import", "netsh"}).exit_code == 2);
  CHECK(sslbind({"import", "reg", "file=x"}).exit_code == 2);
}

TEST_CASE("export reg writes a regedit file of the bindings and the CCS provider") {
  Sslbind sslbind;
  REQUIRE(sslbind({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId, "certstorename=MY",
                   "disablehttp2=enable"})
              .exit_code == 0);
  REQUIRE(sslbind({"add", "sslcert", "hostnameport=www.contoso.com:443", "certhash=" + hash1(), "appid=" + kAppId,
                   "certstorename=WebHosting", "sslctlidentifier=Quote\"And\\Back"})
              .exit_code == 0);
  REQUIRE(sslbind({"add", "sslcert", "ccs=443", "appid=" + kAppId}).exit_code == 0);
  REQUIRE(sslbind({"update", "sslpropertyex", "ccs=443", "propertyid=0", "receivewindow=131072"}).exit_code == 0);
  TempDir dir;
  REQUIRE(sslbind({"add", "ccs", "location=" + dir.str(), "privatekeypassword=secret"}).exit_code == 0);
  const std::string file = (dir.path() / "bindings.reg").string();
  auto r = sslbind({"export", "reg", "file=" + file});
  CHECK(r.out == "Exported 3 bindings to " + file + " (Windows Registry Editor Version 5.00)\n");
  const std::string text = utf16_ascii(read_file(file));
  std::string hash_bytes;
  for (std::size_t i = 0; i < 40; i += 2) hash_bytes += (i ? "," : "") + hash0().substr(i, 2);
  const std::string params = "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters\\";
  CHECK(text.starts_with("Windows Registry Editor Version 5.00\r\n\r\n" + params +
                         "SslBindingInfo\\0.0.0.0:443]\r\n"
                         "\"SslCertHash\"=hex:" +
                         hash_bytes +
                         "\r\n"
                         "\"AppId\"=hex:81,e1,c3,4d,4b,e1,21,4a,b0,22,59,fc,66,9b,09,14\r\n"
                         "\"SslCertStoreName\"=\"MY\"\r\n"
                         "\"DefaultSslCertCheckMode\"=dword:00000000\r\n"
                         "\"DefaultSslRevocationFreshnessTime\"=dword:00000000\r\n"
                         "\"DefaultSslRevocationUrlRetrievalTimeout\"=dword:00000000\r\n"
                         "\"DefaultFlags\"=dword:00000010\r\n"));
  CHECK(text.find(params + "SslSniBindingInfo\\www.contoso.com:443]\r\n") != std::string::npos);
  CHECK(text.find("\"HostnamePort\"=\"www.contoso.com:443\"\r\n") != std::string::npos);
  CHECK(text.find("\"DefaultSslCtlIdentifier\"=\"Quote\\\"And\\\\Back\"\r\n") != std::string::npos);
  CHECK(text.find(params + "SslCcsBindingInfo\\0.0.0.0:443]\r\n") != std::string::npos);
  // Extended properties only where they differ from the defaults.
  CHECK(text.find("\"DefaultFlags\"=dword:00000000\r\n\"Http2ReceiveWindowSize\"=dword:00020000\r\n") !=
        std::string::npos);
  CHECK(text.find("Http2MaxSettings") == std::string::npos);
  CHECK(text.find(
            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\IIS\\CentralCertProvider]\r\n\"Enabled\"=dword:00000001\r\n") !=
        std::string::npos);
  CHECK(text.find("secret") == std::string::npos);
  CHECK(text.find("; PrivateKeyPassword is not exported") != std::string::npos);
  CHECK(json::parse(sslbind({"--json", "export", "reg", "file=" + file}).out)["bindings"] == 3);
  CHECK(sslbind({"export", "reg", "file=-"}).out == read_file(file));
  CHECK(sslbind({"export", "reg", "file=" + dir.str() + "/no/such/dir/x.reg"}).exit_code == 3);
}

TEST_CASE("export reg to a bare file name writes it in the working folder") {
  Sslbind sslbind;
  REQUIRE(sslbind({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId}).exit_code == 0);
  TempDir cwd;
  // The README's own form, `sslbind export reg file=b.reg`, run in another folder than the test's.
  std::vector<std::string> in_cwd{"/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\" export reg file=b.reg", "sh",
                                  cwd.str()};
  for (const auto& word : sslbind.command_line()) in_cwd.push_back(word);
  const auto r = run_process(in_cwd);
  CHECK(r.err == "");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "Exported 1 bindings to b.reg (Windows Registry Editor Version 5.00)\n");
  CHECK(utf16_ascii(read_file(cwd.path() / "b.reg")).starts_with("Windows Registry Editor Version 5.00\r\n"));
  for (const auto& entry : std::filesystem::directory_iterator(cwd.path())) CHECK(entry.path().filename() == "b.reg");
}

TEST_CASE("dump prints a netsh script that -f runs as it is to recreate the registry exactly") {
  Sslbind sslbind;
  const std::string app = "appid=" + kAppId;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"ipport=0.0.0.0:443", "certhash=" + hash0(), app, "disabletls12=enable", "revocationfreshnesstime=30",
            "urlretrievaltimeout=5000", "sslctlidentifier=My CTL", "sslctlstorename=CA",
            "verifyclientcertrevocation=disable", "usagecheck=disable", "clientcertnegotiation=enable"},
           {"ipport=[::1]:8443", "certhash=" + hash1(), app, "certstorename=WebHosting", "reject=enable"},
           {"hostnameport=www.contoso.com:443", "certhash=" + hash0(), app, "certstorename=MY",
            "enablesessionticket=enable", "disablesessionid=enable", "verifyrevocationwithcachedclientcertonly=enable"},
           {"ccs=443", app, "disablequic=enable"},
           {"scopedccs=shop.contoso.com:443", app, "disablehttp2=enable", "disablelegacytls=enable"}}) {
    std::vector<std::string> command{"add", "sslcert"};
    command.insert(command.end(), args.begin(), args.end());
    REQUIRE_MESSAGE(sslbind(command).exit_code == 0, args[0]);
  }
  REQUIRE(sslbind({"update", "sslpropertyex", "ipport=[::1]:8443", "propertyid=0", "receivewindow=65535"}).exit_code ==
          0);
  REQUIRE(sslbind({"update", "sslpropertyex", "ccs=443", "propertyid=1", "maxsettingsperminute=600"}).exit_code == 0);
  const auto dumped = sslbind({"dump"});
  REQUIRE(dumped.exit_code == 0);
  CHECK(dumped.out.find("pushd http\n") != std::string::npos);
  CHECK(dumped.out.find("\"sslctlidentifier=My CTL\"") == std::string::npos);
  CHECK(dumped.out.find("sslctlidentifier=\"My CTL\"") != std::string::npos);
  CHECK(dumped.out.find("\nupdate sslpropertyex ipport=[::1]:8443 propertyid=0 receivewindow=65535\n") !=
        std::string::npos);
  CHECK(dumped.out.find("\nupdate sslpropertyex ccs=443 propertyid=1 maxsettingsperframe=2796202 "
                        "maxsettingsperminute=600\n") != std::string::npos);
  TempDir dir;
  write_file(dir.path() / "dump.txt", dumped.out);
  Sslbind other;
  const auto r = other({"-f", (dir.path() / "dump.txt").string()});
  CHECK(r.err == "");
  CHECK(r.out.ends_with("5 created, 2 updated, 0 unchanged, 0 deleted\n"));
  CHECK(other.registry() == sslbind.registry());
  // Run again with --add-or-update: nothing changes.
  CHECK(other({"--add-or-update", "-f", (dir.path() / "dump.txt").string()})
            .out.ends_with("0 created, 0 updated, 7 unchanged, 0 deleted\n"));
  // A bit no netsh parameter sets (read from a Windows listing) is written whole, with a note for netsh.
  write_file(dir.path() / "show.txt", fixture("netsh_show_2022.txt"));
  Sslbind imported;
  REQUIRE(imported({"import", "netsh", "file=" + (dir.path() / "show.txt").string()}).exit_code == 0);
  const std::string with_bits = imported({"dump"}).out;
  CHECK(with_bits.find("# ipport=0.0.0.0:443: defaultflags= keeps bits no netsh parameter sets") != std::string::npos);
  CHECK(with_bits.find(" defaultflags=0x00008410\n") != std::string::npos);
  write_file(dir.path() / "bits.txt", with_bits);
  Sslbind restored;
  REQUIRE(restored({"-f", (dir.path() / "bits.txt").string()}).exit_code == 0);
  CHECK(restored.registry() == imported.registry());
}

// Every value a binding can hold comes back from dump through -f byte for byte: quotes, backslashes, blanks,
// non-ASCII, (null) stores, bits no option sets, and the freshness bit apart from the freshness time.
TEST_CASE("dump then -f restores every registry byte, whatever the values hold") {
  Sslbind sslbind;
  const std::string app = "appid=" + kAppId;
  const std::vector<std::vector<std::string>> adds{
      {"ipport=0.0.0.0:443", "certhash=" + hash0(), app, "sslctlidentifier=a\"b", "sslctlstorename=Web Hosting"},
      {"ipport=0.0.0.0:444", "certhash=" + hash0(), app, "sslctlidentifier=C:\\dir\\ \"quoted\\\"\\",
       "sslctlstorename=Zertifikate-\u00c4\u20ac"},
      {"ipport=0.0.0.0:445", "certhash=" + hash0(), app, "sslctlidentifier=ends with a backslash\\"},
      {"ipport=0.0.0.0:446", "certhash=" + hash0(), app, "sslctlidentifier=\\\\server\\share \"\"",
       "defaultflags=0x00018004", "defaultsslcertcheckmode=0x4"},
      {"ipport=0.0.0.0:447", "certhash=" + hash0(), app, "revocationfreshnesstime=60", "defaultsslcertcheckmode=0"},
      {"hostnameport=www.contoso.com:443", "certhash=" + hash0(), app, "certstorename=(null)"},
      {"hostnameport=shop.contoso.com:443", "certhash=" + hash0(), app, "certstorename=MY",
       "sslctlidentifier=#not a comment"},
      {"ccs=443", app, "sslctlidentifier= blank at both ends "},
  };
  for (const auto& args : adds) {
    std::vector<std::string> command{"add", "sslcert"};
    command.insert(command.end(), args.begin(), args.end());
    const auto r = sslbind(command);
    const std::string why = args[0] + ": " + r.err;
    REQUIRE_MESSAGE(r.exit_code == 0, why);
  }
  for (const char* address : {"10.0.0.5", "::", "0.0.0.0"}) {
    REQUIRE(sslbind({"add", "iplisten", std::string("ipaddress=") + address}).exit_code == 0);
  }
  const json b = bindings(sslbind);
  CHECK(b[0]["sslctlidentifier"] == "a\"b");
  CHECK(b[3]["DefaultFlags"] == 0x18004);
  CHECK(b[4]["DefaultSslCertCheckMode"] == 0);
  CHECK(b[6]["certstorename"] == nullptr);
  const auto dumped = sslbind({"dump"});
  REQUIRE(dumped.exit_code == 0);
  CHECK(dumped.out.find(" sslctlidentifier=\"a\\\"b\" ") != std::string::npos);
  CHECK(dumped.out.find(" certstorename=(null) ") != std::string::npos);
  CHECK(dumped.out.find("for netsh write certstorename=MY") != std::string::npos);
  CHECK(dumped.out.find("pushd http\n\nadd iplisten ipaddress=10.0.0.5\nadd iplisten ipaddress=::\n"
                        "add iplisten ipaddress=0.0.0.0\n\n") != std::string::npos);
  TempDir dir;
  write_file(dir.path() / "dump.txt", dumped.out);
  Sslbind other;
  const auto r = other({"-f", (dir.path() / "dump.txt").string()});
  CHECK(r.err == "");
  CHECK(r.out.ends_with("11 created, 0 updated, 0 unchanged, 0 deleted\n"));
  CHECK(other.registry() == sslbind.registry());
  CHECK(other({"export", "reg", "file=-"}).out == sslbind({"export", "reg", "file=-"}).out);
  CHECK(other({"dump"}).out == dumped.out);
  // An option beside a whole word must agree with it.
  const auto clash = sslbind(
      {"add", "sslcert", "ipport=0.0.0.0:448", "certhash=" + hash0(), app, "disablehttp2=enable", "defaultflags=0"});
  CHECK(clash.exit_code != 0);
  CHECK(clash.err.find("disablehttp2=enable disagrees with defaultflags=0") != std::string::npos);
  CHECK(sslbind({"add", "sslcert", "ipport=0.0.0.0:448", "certhash=" + hash0(), app, "defaultflags=0x1G"})
            .err.find("defaultflags '0x1G' is not 0x and one to eight hex digits") != std::string::npos);
}

// netsh prints "Use Revocation Freshness Time : Enabled" after the cached-only line when DefaultCertCheckMode has
// its freshness-time bit (an integration test of SslCertBinding.Net, run against real netsh, asserts the line for a
// binding made with EnableRevocationFreshnessTime and a 60 s freshness time).
TEST_CASE("Use Revocation Freshness Time is shown as netsh shows it, and import takes its value") {
  Sslbind sslbind;
  REQUIRE(sslbind({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId,
                   "revocationfreshnesstime=60", "verifyrevocationwithcachedclientcertonly=enable"})
              .exit_code == 0);
  REQUIRE(sslbind({"add", "sslcert", "ipport=0.0.0.0:444", "certhash=" + hash0(), "appid=" + kAppId}).exit_code == 0);
  const std::string shown = sslbind({"show", "sslcert"}).out;
  CHECK(shown.find("    Verify Revocation Using Cached Client Certificate Only : Enabled\n"
                   "    Use Revocation Freshness Time : Enabled\n"
                   "    Usage Check                  : Enabled\n"
                   "    Revocation Freshness Time    : 60\n") != std::string::npos);
  const auto second = shown.find("0.0.0.0:444");
  CHECK(shown.find("Use Revocation Freshness Time", second) == std::string::npos);  // not set: not printed
  // sslbind's own listing imports back to the same registry.
  TempDir dir;
  write_file(dir.path() / "ours.txt", shown);
  Sslbind other;
  REQUIRE(other({"import", "netsh", "file=" + (dir.path() / "ours.txt").string()}).exit_code == 0);
  CHECK(other({"show", "sslcert"}).out == shown);
  // The line's value wins over what the freshness time implies: the bit without a time, and a time without it.
  std::string forced = shown;
  const std::string time_line = "    Revocation Freshness Time    : 60\n";
  forced.replace(forced.find(time_line), time_line.size(), "    Revocation Freshness Time    : 0\n");
  write_file(dir.path() / "forced.txt", forced);
  Sslbind third;
  REQUIRE(third({"import", "netsh", "file=" + (dir.path() / "forced.txt").string()}).exit_code == 0);
  CHECK(third({"show", "sslcert", "ipport=0.0.0.0:443"}).out.find("Use Revocation Freshness Time : Enabled") !=
        std::string::npos);
  std::string off = shown;
  const std::string on_line = "    Use Revocation Freshness Time : Enabled\n";
  off.replace(off.find(on_line), on_line.size(), "    Use Revocation Freshness Time : Disabled\n");
  write_file(dir.path() / "off.txt", off);
  Sslbind fourth;
  REQUIRE(fourth({"import", "netsh", "file=" + (dir.path() / "off.txt").string()}).exit_code == 0);
  const std::string fourth_shown = fourth({"show", "sslcert", "ipport=0.0.0.0:443"}).out;
  CHECK(fourth_shown.find("Use Revocation Freshness Time") == std::string::npos);
  CHECK(fourth_shown.find("Revocation Freshness Time    : 60") != std::string::npos);
  write_file(dir.path() / "bad.txt", [&] {
    std::string bad = shown;
    bad.replace(bad.find(on_line), on_line.size(), "    Use Revocation Freshness Time : Maybe\n");
    return bad;
  }());
  const auto refused = Sslbind()({"import", "netsh", "file=" + (dir.path() / "bad.txt").string()});
  CHECK(refused.exit_code != 0);
  CHECK(refused.err.find("Use Revocation Freshness Time is 'Maybe'; netsh prints Enabled or Disabled") !=
        std::string::npos);
}

// `show sslcert json=enable` is the language-independent way off a Windows server: its document imports, every
// family, the DefaultFlags and check-mode bits kept as they were, and a document that is not one is refused.
TEST_CASE("import netsh reads the show sslcert json=enable document") {
  Sslbind windows;
  REQUIRE(windows({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId,
                   "disablehttp2=enable", "revocationfreshnesstime=60", "sslctlidentifier=Trusted"})
              .exit_code == 0);
  REQUIRE(windows({"add", "sslcert", "hostnameport=www.contoso.com:443", "certhash=" + hash1(), "appid=" + kAppId,
                   "certstorename=WebHosting", "disabletls12=enable"})
              .exit_code == 0);
  REQUIRE(windows({"add", "sslcert", "ccs=443", "appid=" + kAppId}).exit_code == 0);
  REQUIRE(windows({"add", "sslcert", "scopedccs=shop.contoso.com:443", "appid=" + kAppId}).exit_code == 0);
  const std::string document = windows({"show", "sslcert", "json=enable"}).out;
  TempDir dir;
  write_file(dir.path() / "show.json", document);
  Sslbind other;
  const auto r = other({"import", "netsh", "file=" + (dir.path() / "show.json").string()});
  CHECK(r.err == "");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("4 created") != std::string::npos);
  CHECK(other({"show", "sslcert"}).out == windows({"show", "sslcert"}).out);
  CHECK(bindings(other) == bindings(windows));
  // Saved by PowerShell 5.1 (UTF-16LE with a byte order mark): the same.
  std::string utf16 = "\xFF\xFE";
  for (const char c : document) utf16 += std::string{c, '\0'};
  write_file(dir.path() / "show16.json", utf16);
  Sslbind third;
  CHECK(third({"import", "netsh", "file=" + (dir.path() / "show16.json").string()}).exit_code == 0);
  CHECK(bindings(third) == bindings(windows));
  // Not the document: refused with what it lacks, nothing imported.
  write_file(dir.path() / "other.json", "{\"bindings\": []}\n");
  Sslbind fourth;
  const auto refused = fourth({"import", "netsh", "file=" + (dir.path() / "other.json").string()});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("no SslCertificateBindings list") != std::string::npos);
  write_file(dir.path() / "bad.json", "{\"SslCertificateBindings\": [{\"ConfigType\": 7}]}\n");
  const auto seven = fourth({"import", "netsh", "file=" + (dir.path() / "bad.json").string()});
  CHECK(seven.exit_code == 2);
  CHECK(seven.err.find("binding 1: ConfigType 7 is not a binding's") != std::string::npos);
  CHECK(bindings(fourth).empty());
}

namespace {

// A thumbprint as a .reg file writes REG_BINARY: "47,f6,e7,...".
std::string reg_hex(const std::string& thumbprint) {
  std::string out;
  for (std::size_t i = 0; i < thumbprint.size(); i += 2) out += (i == 0 ? "" : ",") + thumbprint.substr(i, 2);
  return out;
}

// A fixture as regedit saves it: UTF-16LE with a byte order mark and CRLF line ends.
std::string as_regedit_file(const std::string& text) {
  std::string out = "\xFF\xFE";
  for (char c : text) {
    if (c == '\n') out += std::string("\r\0", 2);
    out += std::string{c, '\0'};
  }
  return out;
}

}  // namespace

TEST_CASE("import reg reads Windows' reg export as the equivalent netsh commands would write it") {
  std::string text = read_file(kFixtures / "windows_reg_export.reg");
  for (const auto& [mark, hash] :
       {std::pair{std::string("{HASH0}"), hash0()}, std::pair{std::string("{HASH1}"), hash1()}}) {
    for (auto at = text.find(mark); at != std::string::npos; at = text.find(mark)) {
      text.replace(at, mark.size(), reg_hex(hash));
    }
  }
  TempDir dir;
  // Windows' provider reads a share; here a folder, where the share would be mounted.
  write_file(dir.path() / "windows-unc.reg", as_regedit_file(text));
  const auto unc = Sslbind()({"import", "reg", "file=" + (dir.path() / "windows-unc.reg").string()});
  CHECK(unc.exit_code == 0);
  CHECK(unc.out.find("CCS provider updated; its location '\\\\fileserver\\certs' is not a folder on this machine") !=
        std::string::npos);
  const std::string share = "\"\\\\\\\\fileserver\\\\certs\"";  // as .reg files escape it
  const std::filesystem::path mounted = dir.path() / "certs";
  std::filesystem::create_directory(mounted);
  text.replace(text.find(share), share.size(), "\"" + mounted.string() + "\"");
  write_file(dir.path() / "windows.reg", as_regedit_file(text));
  Sslbind imported;
  const auto r = imported({"import", "reg", "file=" + (dir.path() / "windows.reg").string()});
  CHECK(r.err == "");
  REQUIRE(r.exit_code == 0);
  // Every key and value that is not a binding's or the provider's is named and skipped, never fatal.
  CHECK(r.out.find("HTTP\\Parameters\\EnableAggressiveMemoryUsage (a value sslbind does not keep)") !=
        std::string::npos);
  CHECK(r.out.find("line 12: ipaddress=10.0.0.5 created\n") != std::string::npos);
  CHECK(r.out.find("[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters\\UrlAclInfo] (a key "
                   "sslbind does not keep)") != std::string::npos);
  CHECK(r.out.find("SslCcsBindingInfo\\0.0.0.0:443\\ReservedForLaterUse (a value sslbind does not keep)") !=
        std::string::npos);
  CHECK(r.out.find("CentralCertProvider\\PrivateKeyPassword (sealed with the Windows machine's key") !=
        std::string::npos);
  CHECK(r.out.find("line 59: CCS provider updated\n") != std::string::npos);
  CHECK(r.out.find("5 created, 0 updated, 0 unchanged, 0 deleted, 5 skipped\n") != std::string::npos);

  Sslbind netsh;
  REQUIRE(netsh({"add", "iplisten", "ipaddress=10.0.0.5"}).exit_code == 0);
  const std::string app = "appid=" + kAppId;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"ipport=0.0.0.0:443", "certhash=" + hash0(), app, "certstorename=MY"},
           {"ipport=[::]:8443", "certhash=" + hash1(), app, "certstorename=WebHosting",
            "verifyclientcertrevocation=disable", "revocationfreshnesstime=60", "urlretrievaltimeout=10000",
            "sslctlidentifier=My CTL", "sslctlstorename=CA", "clientcertnegotiation=enable", "disablequic=enable"},
           {"hostnameport=www.contoso.com:443", "certhash=" + hash0(), app, "certstorename=(null)",
            "usagecheck=disable", "disablelegacytls=enable", "defaultflags=0x8400"},
           {"ccs=443", app}}) {
    std::vector<std::string> command{"add", "sslcert"};
    command.insert(command.end(), args.begin(), args.end());
    REQUIRE(netsh(command).exit_code == 0);
  }
  REQUIRE(netsh({"add", "ccs", "location=" + mounted.string(), "username=CONTOSO\\ccs-reader", "pollinginterval=300"})
              .exit_code == 0);
  CHECK(imported.registry() == netsh.registry());

  // sslbind's own export reads back byte for byte.
  const std::string exported = imported({"export", "reg", "file=-"}).out;
  write_file(dir.path() / "ours.reg", exported);
  Sslbind again;
  REQUIRE(again({"import", "reg", "file=" + (dir.path() / "ours.reg").string()}).exit_code == 0);
  CHECK(again({"export", "reg", "file=-"}).out == exported);
  CHECK(again.registry() == imported.registry());
}

TEST_CASE("import reg refuses what is not an export, with the line, and imports nothing") {
  TempDir dir;
  Sslbind sslbind;
  const std::string before = sslbind.registry();
  const std::string key =
      "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters\\SslBindingInfo\\0.0.0.0:443]\n";
  const std::string good =
      "\"SslCertHash\"=hex:" + reg_hex(hash0()) + "\n\"AppId\"=hex:81,e1,c3,4d,4b,e1,21,4a,b0,22,59,fc,66,9b,09,14\n";
  for (const auto& [body, message] : std::vector<std::pair<std::string, std::string>>{
           {"REGEDIT5\n", "line 1: a .reg file starts with \"Windows Registry Editor Version 5.00\""},
           {"Windows Registry Editor Version 5.00\n\n[-" + key.substr(1), "line 3: the file deletes the key"},
           {"Windows Registry Editor Version 5.00\n\n" + key + good + "\"DefaultFlags\"=-\n",
            "line 6: the file deletes the value 'DefaultFlags'"},
           {"Windows Registry Editor Version 5.00\n\n" + key + "\"SslCertHash\"=hex:01,02\n\"AppId\"=hex:00\n",
            "line 3: HKLM\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters\\SslBindingInfo\\0.0.0.0:443\\"
            "SslCertHash: REG_BINARY data must be 20 bytes"},
           {"Windows Registry Editor Version 5.00\n\n" + key + good + "\"DefaultFlags\"=dword:1234567890\n",
            "line 6: dword '1234567890' is not 1 to 8 hex digits"},
           {"Windows Registry Editor Version 5.00\n\n" + key + good + "\"DefaultFlags\"=hex:1\n",
            "line 6: '1' is not a byte of hex data"},
           {"Windows Registry Editor Version 5.00\n\n" + key + good + "\"DefaultFlags\"=\"text\"\n",
            "expected type REG_DWORD, found \"REG_SZ\""},
           {"Windows Registry Editor Version 5.00\n\n\"AppId\"=hex:00\n", "line 3: a value comes before any [key]"},
           {"Windows Registry Editor Version 5.00\n\n" + key + good + key + good,
            "Cannot create a file when that file already exists"},
       }) {
    write_file(dir.path() / "bad.reg", body);
    const auto r = sslbind({"import", "reg", "file=" + (dir.path() / "bad.reg").string()});
    CHECK(r.exit_code != 0);
    const std::string said = r.out + r.err;
    CHECK_MESSAGE(said.find(message) != std::string::npos, said);
    CHECK(sslbind.registry() == before);
  }
  CHECK(sslbind({"import", "xml", "file=x"}).err.find("import takes netsh or reg") != std::string::npos);
}

// show sslcert layout= prints a named Windows generation's text, for scripts that compare text with their server's;
// each reads back through import netsh.
TEST_CASE("show sslcert layout=2016|2019|2022 prints each generation's fields, and each imports back") {
  Sslbind sslbind;
  REQUIRE(sslbind({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId,
                   "clientcertnegotiation=enable", "revocationfreshnesstime=30"})
              .exit_code == 0);
  REQUIRE(sslbind({"add", "sslcert", "hostnameport=www.contoso.com:443", "certhash=" + hash1(), "appid=" + kAppId,
                   "certstorename=WebHosting"})
              .exit_code == 0);
  const std::string current = sslbind({"show", "sslcert"}).out;
  CHECK(sslbind({"show", "sslcert", "layout=2022"}).out == current);
  const std::string old = sslbind({"show", "sslcert", "layout=2016"}).out;
  CHECK(old.starts_with("\nSSL Certificate bindings:\n-------------------------\n\n    IP:port "));
  CHECK(old.find("    Negotiate Client Certificate : Enabled\n\n") != std::string::npos);
  CHECK(old.find("Reject Connections") == std::string::npos);
  CHECK(old.find("Extended Properties") == std::string::npos);
  const std::string mid = sslbind({"show", "sslcert", "layout=2019"}).out;
  CHECK(mid.find("    Enable Session Ticket        : Not Set\n Extended Properties:\n") != std::string::npos);
  CHECK(mid.find("Disable Session ID") == std::string::npos);
  CHECK(mid.find("Enable Caching Client Hello") == std::string::npos);
  TempDir dir;
  for (const std::string layout : {"2016", "2019", "2022"}) {
    CAPTURE(layout);
    write_file(dir.path() / "show.txt", sslbind({"show", "sslcert", "layout=" + layout}).out);
    Sslbind other;
    REQUIRE(other({"import", "netsh", "file=" + (dir.path() / "show.txt").string()}).exit_code == 0);
    CHECK(other.registry() == sslbind.registry());
  }
  const auto bad = sslbind({"show", "sslcert", "layout=2012"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("layout '2012' is not one sslbind prints: 2016, 2019 or 2022") != std::string::npos);
  CHECK(sslbind({"add", "sslcert", "ipport=0.0.0.0:444", "certhash=" + hash0(), "appid=" + kAppId, "layout=2016"})
            .err.find("layout= is used by show sslcert only") != std::string::npos);
}

// netsh prints its labels in the system's language: a listing from a French or German Windows is refused at its
// first line with the way that works in every language (the first lines of the French output are the ones the issue
// quotes; the German header as Windows' German resources word it).
TEST_CASE("import netsh refuses a listing in another language, naming json=enable") {
  TempDir dir;
  for (const std::string listing :
       {"\r\nLiaisons de certificat SSL :\r\n----------------------------\r\n\r\n    Adresse IP:port : 0.0.0.0:443\r\n",
        "\r\nSSL-Zertifikatbindungen:\r\n-------------------------\r\n\r\n    IP:Port : 0.0.0.0:443\r\n"}) {
    write_file(dir.path() / "show.txt", listing);
    Sslbind sslbind;
    const std::string before = sslbind.registry();
    const auto r = sslbind({"import", "netsh", "file=" + (dir.path() / "show.txt").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.starts_with("line 2: '"));
    CHECK(r.err.find("is not a line of netsh's English listing: netsh prints its labels in the system's language") !=
          std::string::npos);
    CHECK(r.err.find("netsh http show sslcert json=enable") != std::string::npos);
    CHECK(sslbind.registry() == before);
  }
}
