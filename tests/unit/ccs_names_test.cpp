#include <doctest/doctest.h>

#include <string>

#include "core/ccs_names.hpp"

using namespace sslbind;

TEST_CASE("CCS file names: the exact file, then the wildcard file of the parent") {
  auto www = ccs_file_names("www.contoso.com");
  REQUIRE(www);
  CHECK(www->exact == "www.contoso.com.pfx");
  CHECK(www->wildcard == "_.contoso.com.pfx");
  auto deep = ccs_file_names("a.b.contoso.com");
  CHECK(deep->wildcard == "_.b.contoso.com.pfx");  // a wildcard covers one label only
  auto upper = ccs_file_names("WWW.Contoso.COM");
  CHECK(upper->exact == "www.contoso.com.pfx");
  // No wildcard over a top-level domain, and none for a single label.
  CHECK_FALSE(ccs_file_names("contoso.com")->wildcard);
  CHECK(ccs_file_names("contoso.com")->exact == "contoso.com.pfx");
  CHECK_FALSE(ccs_file_names("intranet")->wildcard);
  CHECK(ccs_file_names("bücher.example.com")->exact == "bücher.example.com.pfx");
}

TEST_CASE("CCS file names: names that could leave the folder are refused, by name") {
  auto detail = [](std::string host) { return ccs_file_names(host).error().detail; };
  CHECK(detail("../etc/passwd") ==
        "host name '../etc/passwd' contains a path separator; the Central Certificate "
        "Store is not searched");
  CHECK(detail("..") == "host name '..' contains '..'; the Central Certificate Store is not searched");
  CHECK(detail("a..b.com").find("contains '..'") != std::string::npos);
  CHECK(detail("a/b.com").find("path separator") != std::string::npos);
  CHECK(detail("a\\b.com").find("path separator") != std::string::npos);
  CHECK(detail(std::string("www.contoso.com\0.evil", 21)).find("NUL byte") != std::string::npos);
  const std::string long_name = std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                                std::string(63, 'd');  // 255 bytes
  CHECK(detail(long_name).find("is 255 bytes long; a host name has at most 253") != std::string::npos);
  CHECK(detail("").find("no host name") != std::string::npos);
  CHECK(detail(".hidden.com").find("empty label") != std::string::npos);
  CHECK(detail("*.contoso.com").find("wildcard") != std::string::npos);
  CHECK(detail("_.contoso.com").find("contains '_'") != std::string::npos);
  CHECK(detail("10.0.0.5").find("IP address") != std::string::npos);
  CHECK(detail("www.contoso.com.").find("ends with a dot") != std::string::npos);
  CHECK(detail("a b.com").find("a space") != std::string::npos);
}

TEST_CASE("CCS file names back to host names") {
  CHECK(ccs_hostname_of_file("www.contoso.com.pfx") == "www.contoso.com");
  CHECK(ccs_hostname_of_file("WWW.contoso.com.PFX") == "WWW.contoso.com");
  CHECK(ccs_hostname_of_file("_.contoso.com.pfx") == "*.contoso.com");
  CHECK_FALSE(ccs_hostname_of_file("readme.txt"));
  CHECK_FALSE(ccs_hostname_of_file(".pfx"));
  CHECK_FALSE(ccs_hostname_of_file("www.contoso.com.pem"));
  CHECK_FALSE(ccs_hostname_of_file("a b.pfx"));
  CHECK_FALSE(ccs_hostname_of_file("_.pfx"));
}
