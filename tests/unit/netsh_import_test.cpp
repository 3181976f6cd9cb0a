#include <doctest/doctest.h>

#include "core/netsh_import.hpp"

#include <map>

#include "core/show_layout.hpp"

using namespace sslbind;

namespace {

const std::string kHash = "0102030405060708090a0b0c0d0e0f1011121314";

Result<std::vector<BatchLine>> read(const std::vector<std::string>& lines) {
  NetshShowReader reader;
  for (const auto& l : lines) {
    if (auto s = reader.feed(l); !s) return s.error();
  }
  return reader.finish_all();
}

// A whole entry as Windows prints it: the key line, then every field of the layout that ends with `last` (Server
// 2008 R2's by default), with the values netsh prints for a new binding unless `values` gives others.
std::vector<std::string> entry(const std::string& key_line, const std::map<std::string, std::string>& values = {},
                               const std::string& last = "Negotiate Client Certificate") {
  const std::map<std::string, std::string> defaults{
      {"Certificate Hash", kHash},
      {"Application ID", "{4dc3e181-e14b-4a21-b022-59fc669b0914}"},
      {"Certificate Store Name", "(null)"},
      {"Verify Client Certificate Revocation", "Enabled"},
      {"Verify Revocation Using Cached Client Certificate Only", "Disabled"},
      {"Usage Check", "Enabled"},
      {"Revocation Freshness Time", "0"},
      {"URL Retrieval Timeout", "0"},
      {"Ctl Identifier", "(null)"},
      {"Ctl Store Name", "(null)"},
      {"DS Mapper Usage", "Disabled"},
      {"Negotiate Client Certificate", "Disabled"},
      {"Reject Connections", "Disabled"}};
  std::vector<std::string> out{key_line};
  for (std::string_view label : field_labels()) {
    const std::string l(label);
    std::string value = defaults.contains(l) ? defaults.at(l) : "Not Set";
    if (values.contains(l)) value = values.at(l);
    out.push_back("    " + l + " : " + value);
    if (l == last) break;
  }
  return out;
}

}  // namespace

TEST_CASE("netsh show: headers, blank lines, CR and padding of any width") {
  std::vector<std::string> lines{"", "SSL Certificate bindings:\r", "-------------------------", ""};
  for (const auto& l :
       entry("    IP:port                 : 0.0.0.0:443\r",
             {{"Usage Check", "Disabled"}, {"Disable HTTP2", "Set"}, {"Enable Caching Client Hello", "Set"}},
             "Enable Caching Client Hello")) {
    lines.push_back(l + "\r");
  }
  lines.push_back("    Extended Properties:");
  lines.push_back("    PropertyId                   : 0");
  lines.push_back("    Receive Window               : 1048576");
  auto r = read(lines);
  REQUIRE(r);
  REQUIRE(r->size() == 1);
  const auto& b = (*r)[0];
  CHECK(b.number == 5);
  CHECK(b.command.verb == Verb::Add);
  CHECK(b.command.key->as_parameter() == "ipport=0.0.0.0:443");
  CHECK(b.command.settings.certhash->hex() == kHash);
  CHECK_FALSE(b.command.settings.certstorename);
  CHECK(b.command.settings.check_mode == check_mode::kNoUsageCheck);
  CHECK(b.command.settings.flags == (ssl_flag::kDisableHttp2 | ssl_flag::kEnableCacheClientHello));
}

TEST_CASE("netsh show: every key label, the CCS label in either case") {
  std::vector<std::string> lines = entry("    IP:port : [::]:443");
  for (const auto& key : {"    Hostname:port : www.contoso.com:443", "    Central Certificate store : 8443",
                          "    Scoped CCS:port : shop.contoso.com:443"}) {
    const bool ccs = std::string_view(key).find("CCS") != std::string_view::npos ||
                     std::string_view(key).find("Central") != std::string_view::npos;
    for (const auto& l :
         entry(key, ccs ? std::map<std::string, std::string>{{"Certificate Hash", "(null)"}}
                        : std::map<std::string, std::string>{{"Certificate Store Name", "WebHosting"}})) {
      lines.push_back(l);
    }
  }
  auto r = read(lines);
  REQUIRE(r);
  REQUIRE(r->size() == 4);
  CHECK((*r)[1].command.key->as_parameter() == "hostnameport=www.contoso.com:443");
  CHECK((*r)[2].command.key->as_parameter() == "ccs=8443");
  CHECK((*r)[3].command.key->as_parameter() == "scopedccs=shop.contoso.com:443");
  CHECK(read({})->empty());
}

TEST_CASE("netsh show: an entry cut short of its layout is refused with the labels it lacks") {
  // Two entries of today's layout, the second cut after Usage Check (a copy that stopped short).
  std::vector<std::string> lines = entry("    IP:port : 0.0.0.0:443", {}, "Enable Caching Client Hello");
  auto cut = entry("    IP:port : 0.0.0.0:8443", {}, "Usage Check");
  lines.insert(lines.end(), cut.begin(), cut.end());
  auto r = read(lines);
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.rfind("line 26: the entry stops short of the fields every Windows prints: 'Revocation "
                               "Freshness Time', 'URL Retrieval Timeout', ",
                               0) == 0);
  // One entry alone, cut inside the flags: its fields end where no Windows layout ends.
  r = read(entry("    IP:port : 0.0.0.0:443", {}, "Disable TLS1.3"));
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.find("the fields end with 'Disable TLS1.3', where no Windows layout ends") !=
        std::string::npos);
  // Each generation's own layout is whole.
  for (const char* last :
       {"Negotiate Client Certificate", "Enable Session Ticket", "Disable Session ID", "Enable Caching Client Hello"}) {
    CAPTURE(last);
    CHECK(read(entry("    IP:port : 0.0.0.0:443", {}, last)));
  }
}

TEST_CASE("netsh show: lines that cannot be read are refused with their number") {
  auto fails = [](std::vector<std::string> lines) { return read(lines).error().detail; };
  CHECK(fails({"", "    Certificate Hash : " + kHash}) ==
        "line 2: 'Certificate Hash' comes before any binding (IP:port, Hostname:port, ...)");
  CHECK(fails({"    IP:port : 0.0.0.0:443", "nonsense"}) ==
        "line 2: 'nonsense' is not a \"Label : value\" line of netsh http show sslcert");
  CHECK(
      fails({"    IP:port : 0.0.0.0:443", "    Favourite Colour : blue"}) ==
      "line 2: the label 'Favourite Colour' is not one netsh's show sslcert prints in English; netsh prints its labels "
      "in the system's language, and sslbind reads the English ones. For a listing in another language, save "
      "`netsh http show sslcert json=enable > bindings.json` on the Windows machine instead (the same in every "
      "language) and import that file");
  CHECK(fails({"    IP:port : 0.0.0.0:443", "    Disable QUIC : Enabled"}) ==
        "line 2: Disable QUIC is 'Enabled'; netsh prints Set or Not Set");
  CHECK(fails({"    IP:port : 0.0.0.0:443", "    Enable Caching Client Hello : yes"}) ==
        "line 2: Enable Caching Client Hello is 'yes'; netsh prints Set or Not Set");
  // The values go through the command-line parser, so its rules and texts apply, at the key's line.
  CHECK(fails(entry("    IP:port : 0.0.0.0:99999")).starts_with("line 1: ipport '0.0.0.0:99999'"));
  auto no_appid = entry("    IP:port : 0.0.0.0:443");
  no_appid.erase(no_appid.begin() + 2);
  CHECK(fails(no_appid) == "line 1: add sslcert needs appid=<GUID>");
  auto bad_hash = entry("    IP:port : 0.0.0.0:443");
  bad_hash[1] = "    Certificate Hash : xyz";
  CHECK(fails(bad_hash).starts_with("line 1: certhash 'xyz'"));
}

TEST_CASE("a listing's errors come in line order however the file is cut (found by fuzz_netsh_import)") {
  // Line 3 cannot be read and line 4 cannot be decoded: line 3 is the one reported, in one piece or in many.
  const std::string bytes =
      std::string("SSL Certificate bindings:\n    IP:port : 0.0.0.0:443\n    Revocation Tim e: 0\n") +
      std::string("    IP:port : 1.2.3.4:443\0\n", 27);
  for (std::size_t piece : {1UL, 5UL, bytes.size()}) {
    CAPTURE(piece);
    NetshListingFile listing;
    Status failed = Ok{};
    for (std::size_t at = 0; at < bytes.size() && failed; at += piece)
      failed = listing.feed(std::string_view(bytes).substr(at, piece));
    if (failed) {
      auto finished = listing.finish();
      if (!finished) failed = finished.error();
    }
    REQUIRE_FALSE(failed);
    CHECK(failed.error().detail.rfind("line 3: ", 0) == 0);
  }
}

TEST_CASE("netsh show: Extended Properties blocks become update sslpropertyex lines when not the defaults") {
  auto lines = entry("    IP:port : 0.0.0.0:443", {}, "Enable Caching Client Hello");
  for (const std::string l :
       {" Extended Properties:", "    PropertyId : 0", "    Receive Window : 1048576",
        " Extended Properties:", "    PropertyId : 1", "    Max Settings Per Frame : 2796202",
        "    Max Settings Per Minute : 4294967295", " Extended Properties:", "    PropertyId : 2"}) {
    lines.push_back(l);
  }
  auto defaults = read(lines);
  REQUIRE(defaults);
  CHECK(defaults->size() == 1);  // Windows' defaults: nothing to set

  lines[lines.size() - 6] = "    Receive Window : 65535";
  lines[lines.size() - 3] = "    Max Settings Per Minute : 60";
  auto tuned = read(lines);
  REQUIRE(tuned);
  REQUIRE(tuned->size() == 3);
  const SslCertCommand& window = (*tuned)[1].command;
  CHECK(window.verb == Verb::Update);
  CHECK(window.key->as_parameter() == "ipport=0.0.0.0:443");
  REQUIRE(window.property);
  CHECK(window.property->id == PropertyId::Http2Window);
  CHECK(window.property->receive_window == 65535U);
  const auto& limits = *(*tuned)[2].command.property;
  CHECK(limits.id == PropertyId::Http2SettingsLimits);
  CHECK(limits.max_settings_per_frame == 2796202U);
  CHECK(limits.max_settings_per_minute == 60U);
  CHECK((*tuned)[2].number == 1);  // numbered by the binding's line
}

TEST_CASE("netsh show: an extended property that is not kept, or out of place, is refused with its line") {
  auto base = entry("    IP:port : 0.0.0.0:443", {}, "Enable Caching Client Hello");
  const std::size_t first = base.size() + 2;  // the line after " Extended Properties:"
  auto with = [&](const std::vector<std::string>& block) {
    auto lines = base;
    lines.push_back(" Extended Properties:");
    lines.insert(lines.end(), block.begin(), block.end());
    return read(lines).error().detail;
  };
  CHECK(with({"    PropertyId : 3", "    Restriction Count : 1"}) ==
        "line " + std::to_string(first + 1) +
            ": the extended property 'Restriction Count' of PropertyId 3 (TlsRestrictions) is not one sslbind keeps: "
            "it keeps Receive Window (0), Max Settings Per Frame and Max Settings Per Minute (1)");
  CHECK(with({"    PropertyId : 1", "    Receive Window : 5"}).find("'Receive Window' of PropertyId 1") !=
        std::string::npos);
  CHECK(with({"    Receive Window : 5"}) == "line " + std::to_string(first) +
                                                ": 'Receive Window' comes before the PropertyId of its Extended "
                                                "Properties block");
  CHECK(with({"    PropertyId : zero"}).find("PropertyId 'zero' is not a decimal number") != std::string::npos);
  CHECK(with({"    PropertyId : 0", "    Receive Window : 0"}).find("receivewindow=0 is not an HTTP/2") !=
        std::string::npos);
  CHECK(read({" Extended Properties:"}).error().detail == "line 1: \"Extended Properties:\" comes before any binding");
}
