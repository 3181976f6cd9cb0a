#include "serve/server_name.hpp"

#include <doctest/doctest.h>

using namespace sslbind::serve;

namespace {

std::string u16(std::size_t n) { return {static_cast<char>(n >> 8), static_cast<char>(n & 0xFF)}; }

// A server_name extension's bytes: the list's length, then each entry as (type, name).
std::string extension(std::initializer_list<std::pair<unsigned char, std::string>> entries) {
  std::string list;
  for (const auto& [type, name] : entries) list += static_cast<char>(type) + u16(name.size()) + name;
  return u16(list.size()) + list;
}

ServerName::Verdict verdict(const std::string& ext) { return parse_server_name(ext).verdict; }

}  // namespace

TEST_SUITE("serve::server_name") {
  TEST_CASE("one host_name: lower case, without its root dot") {
    CHECK(parse_server_name(extension({{0, "WWW.Contoso.com"}})).name == "www.contoso.com");
    CHECK(parse_server_name(extension({{0, "www.contoso.com."}})).name == "www.contoso.com");
    CHECK(parse_server_name(extension({{0, "_acme.x-y.test"}})).verdict == ServerName::Verdict::Name);
    CHECK(parse_server_name(extension({{0, std::string(253, 'a')}})).verdict == ServerName::Verdict::Name);
  }

  TEST_CASE("lengths that do not add up, and what OpenSSL refuses as a format, are malformed (decode_error)") {
    const std::string good = extension({{0, "a.test"}});
    CHECK(verdict("") == ServerName::Verdict::Malformed);
    CHECK(verdict(std::string(1, '\0')) == ServerName::Verdict::Malformed);
    CHECK(verdict(u16(0)) == ServerName::Verdict::Malformed);                           // an empty list
    CHECK(verdict(good.substr(0, good.size() - 1)) == ServerName::Verdict::Malformed);  // cut short
    CHECK(verdict(good + "x") == ServerName::Verdict::Malformed);                       // a byte past the list
    CHECK(verdict(u16(7) + good.substr(2)) == ServerName::Verdict::Malformed);          // a list length too long
    CHECK(verdict(extension({{0, ""}})) == ServerName::Verdict::Malformed);             // HostName<1..2^16-1>
    CHECK(verdict(extension({{1, "a.test"}})) == ServerName::Verdict::Malformed);       // not host_name
    CHECK(verdict(extension({{0, "a.test"}, {0, "b.test"}})) == ServerName::Verdict::Malformed);
    CHECK(verdict(extension({{0, "a.test"}, {7, "x"}})) == ServerName::Verdict::Malformed);
    std::string name_too_long = extension({{0, "a.test"}});
    name_too_long[4] = 9;  // the name claims 9 bytes, 6 follow
    CHECK(verdict(name_too_long) == ServerName::Verdict::Malformed);
  }

  TEST_CASE("a well-formed name that is no host name is unrecognized (unrecognized_name)") {
    for (const std::string& name :
         {std::string("a b.test"), std::string("a\0b", 3), std::string("."), std::string("a.."),
          std::string("caf\xc3\xa9.test"), std::string(254, 'a'), std::string("a/b"), std::string("a:443")}) {
      CAPTURE(name);
      CHECK(verdict(extension({{0, name}})) == ServerName::Verdict::Unrecognized);
    }
  }
}
