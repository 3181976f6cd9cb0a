#include <doctest/doctest.h>

#include "core/endpoint.hpp"

using namespace sslbind;

TEST_CASE("ipport: IPv4, wildcards and canonical IPv6") {
  CHECK(IpPort::parse("0.0.0.0:443")->str() == "0.0.0.0:443");
  CHECK(IpPort::parse("0.0.0.0:443")->address.is_wildcard());
  CHECK(IpPort::parse("10.0.0.5:8443")->str() == "10.0.0.5:8443");
  CHECK(IpPort::parse("255.255.255.255:65535")->port == 65535);
  CHECK(IpPort::parse("[::]:443")->str() == "[::]:443");
  CHECK(IpPort::parse("[::]:443")->address.is_wildcard());
  CHECK(IpPort::parse("[FE80:0:0:0:0:0:0:1]:443")->str() == "[fe80::1]:443");
  CHECK(IpPort::parse("[::ffff:10.0.0.1]:443")->address.family() == IpAddress::Family::V6);
}

TEST_CASE("ipport: port rules") {
  CHECK(IpPort::parse("1.2.3.4:0").error().detail ==
        "ipport '1.2.3.4:0' has port 0; a port is a number from 1 to 65535");
  CHECK(IpPort::parse("1.2.3.4:65536").error().detail.find("above 65535") != std::string::npos);
  CHECK(IpPort::parse("1.2.3.4:").error().detail.find("has no port") != std::string::npos);
  CHECK(IpPort::parse("1.2.3.4:https").error().detail.find("not a decimal number") != std::string::npos);
  CHECK(IpPort::parse("1.2.3.4:-1").error().detail.find("not a decimal number") != std::string::npos);
  CHECK(IpPort::parse("1.2.3.4").error().detail.find("has no port") != std::string::npos);
}

TEST_CASE("ipport: address rules") {
  CHECK(IpPort::parse("256.0.0.1:443").error().detail.find("'256', which is above 255") != std::string::npos);
  CHECK(IpPort::parse("010.0.0.1:443").error().detail.find("leading zero") != std::string::npos);
  CHECK(IpPort::parse("1.2.3:443").error().detail.find("has 3 parts") != std::string::npos);
  CHECK(IpPort::parse("1.2.3.4.5:443").error().detail.find("more than four parts") != std::string::npos);
  CHECK(IpPort::parse("1..3.4:443").error().detail.find("not an IPv4 address") != std::string::npos);
  CHECK(IpPort::parse(":443").error().detail.find("has no address") != std::string::npos);
  CHECK(IpPort::parse("www.contoso.com:443").error().detail.find("use hostnameport=") != std::string::npos);
  CHECK(IpPort::parse("::1:443").error().detail.find("without brackets") != std::string::npos);
  CHECK(IpPort::parse("[::1]443").error().detail.find("no :port after") != std::string::npos);
  CHECK(IpPort::parse("[::1:443").error().detail.find("without ']'") != std::string::npos);
  CHECK(IpPort::parse("[1.2.3.4]:443").error().detail.find("IPv6 only") != std::string::npos);
  CHECK(IpPort::parse("[fe80::1%eth0]:443").error().detail.find("zone index") != std::string::npos);
  CHECK(IpPort::parse("[fe80::g]:443").error().detail.find("not a valid IPv6 address") != std::string::npos);
}
