#include <doctest/doctest.h>

#include "core/netsh_import.hpp"

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

std::vector<std::string> entry(const std::string& key_line) {
  return {key_line, "    Certificate Hash             : " + kHash,
          "    Application ID               : {4dc3e181-e14b-4a21-b022-59fc669b0914}",
          "    Certificate Store Name       : (null)"};
}

}  // namespace

TEST_CASE("netsh show: headers, blank lines, CR and padding of any width") {
  std::vector<std::string> lines{"", "SSL Certificate bindings:\r", "-------------------------", ""};
  for (const auto& l : entry("    IP:port                 : 0.0.0.0:443\r")) lines.push_back(l + "\r");
  lines.push_back("    Usage Check    : Disabled");
  lines.push_back("    Disable HTTP2                : Set");
  lines.push_back("    Enable Caching Client Hello  : Set");
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
  for (const auto& l : entry("    Hostname:port : www.contoso.com:443")) lines.push_back(l);
  lines.back() = "    Certificate Store Name : WebHosting";
  lines.push_back("    Central Certificate store : 8443");
  lines.push_back("    Certificate Hash : (null)");
  lines.push_back("    Application ID : {4dc3e181-e14b-4a21-b022-59fc669b0914}");
  lines.push_back("    Scoped CCS:port : shop.contoso.com:443");
  lines.push_back("    Application ID : {4dc3e181-e14b-4a21-b022-59fc669b0914}");
  auto r = read(lines);
  REQUIRE(r);
  REQUIRE(r->size() == 4);
  CHECK((*r)[1].command.key->as_parameter() == "hostnameport=www.contoso.com:443");
  CHECK((*r)[2].command.key->as_parameter() == "ccs=8443");
  CHECK((*r)[3].command.key->as_parameter() == "scopedccs=shop.contoso.com:443");
  CHECK(read({})->empty());
}

TEST_CASE("netsh show: lines that cannot be read are refused with their number") {
  auto fails = [](std::vector<std::string> lines) { return read(lines).error().detail; };
  CHECK(fails({"", "    Certificate Hash : " + kHash}) ==
        "line 2: 'Certificate Hash' comes before any binding (IP:port, Hostname:port, ...)");
  CHECK(fails({"    IP:port : 0.0.0.0:443", "nonsense"}) ==
        "line 2: 'nonsense' is not a \"Label : value\" line of netsh http show sslcert");
  CHECK(fails({"    IP:port : 0.0.0.0:443", "    Favourite Colour : blue"}) ==
        "line 2: the label 'Favourite Colour' is not one netsh's show sslcert prints");
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
