#include <doctest/doctest.h>

#include "core/hostname.hpp"

using namespace sslbind;

TEST_CASE("hostnameport: names as typed, compared without case") {
  auto hp = HostPort::parse("www.Contoso.com:443", "hostnameport");
  REQUIRE(hp);
  CHECK(hp->host == "www.Contoso.com");
  CHECK(hp->str() == "www.Contoso.com:443");
  CHECK(hp->identity() == "www.contoso.com:443");
  CHECK(HostPort::parse("localhost:8443", "hostnameport"));
  CHECK(HostPort::parse("*.contoso.com:443", "hostnameport"));
  CHECK(HostPort::parse("xn--bcher-kva.example:443", "hostnameport"));
  CHECK(
      HostPort::parse("b\xC3\xBC"
                      "cher.example:443",
                      "hostnameport"));  // Unicode, as netsh takes it
}

TEST_CASE("hostnameport: refusals name the rule") {
  auto err = [](const char* v) { return HostPort::parse(v, "hostnameport").error().detail; };
  CHECK(err("www.contoso.com") ==
        "hostnameport 'www.contoso.com' has no port; write <name:port>, e.g. www.contoso.com:443");
  CHECK(err(":443").find("has no host name") != std::string::npos);
  CHECK(err("www.contoso.com.:443").find("ends with a dot") != std::string::npos);
  CHECK(err("*:443").find("use ccs=<port>") != std::string::npos);
  CHECK(err("10.0.0.1:443").find("is an IP address; use ipport=") != std::string::npos);
  CHECK(err("[::1]:443").find("use ipport=") != std::string::npos);
  CHECK(err("www..contoso.com:443").find("empty label") != std::string::npos);
  CHECK(err("-www.contoso.com:443").find("starts or ends with '-'") != std::string::npos);
  CHECK(err("www_1.contoso.com:443").find("contains '_'") != std::string::npos);
  CHECK(err("www contoso.com:443").find("contains a space") != std::string::npos);
  CHECK(err("w*w.contoso.com:443").find("wildcard is allowed only as the whole first label") != std::string::npos);
  CHECK(err("www.*.com:443").find("wildcard is allowed only") != std::string::npos);
  CHECK(err("\xE2\x80\x8Ewww.contoso.com:443").find("U+200E") != std::string::npos);
  CHECK(err("www.contoso.com:0").find("port 0") != std::string::npos);
  CHECK(err((std::string(64, 'a') + ".com:443").c_str()).find("at most 63") != std::string::npos);
  std::string long_name;
  for (int i = 0; i < 51; ++i) long_name += "abcd.";
  long_name += "com:443";
  CHECK(err(long_name.c_str()).find("at most 253") != std::string::npos);
}

TEST_CASE("validate_hostname: wildcard only where allowed") {
  CHECK_FALSE(validate_hostname("*.contoso.com", "hostname", false));
  CHECK(validate_hostname("*.contoso.com", "hostname", true));
}

TEST_CASE("without_root_dot: one trailing dot, as DNS reads it") {
  CHECK(sslbind::without_root_dot("www.contoso.com.") == "www.contoso.com");
  CHECK(sslbind::without_root_dot("www.contoso.com") == "www.contoso.com");
  CHECK(sslbind::without_root_dot(".") == ".");
  CHECK(sslbind::without_root_dot("a..") == "a..");
  CHECK(sslbind::without_root_dot("") == "");
}
