#include <doctest/doctest.h>

#include <vector>

#include "core/serve_command.hpp"
#include "serve/proxy_protocol.hpp"

using namespace sslbind;

TEST_SUITE("core::serve_command") {
  TEST_CASE("serve: parameters") {
    std::vector<std::string> none;
    const auto defaults = parse_serve_arguments(none);
    REQUIRE(defaults);
    CHECK(defaults->threads == 0);
    CHECK(defaults->backends.empty());
    CHECK(defaults->max_connections == 10000);
    CHECK(defaults->handshake_timeout == 10);
    std::vector<std::string> all{"threads=2",
                                 "backend=10.0.0.21:80,[2001:db8::5]:8080",
                                 "proxyprotocol=enable",
                                 "admin=/run/a.sock",
                                 "maxconnections=500",
                                 "handshaketimeout=3",
                                 "IdleTimeout=30",
                                 "responsetimeout=7",
                                 "accesslog=/var/log/sslbind/access.log",
                                 "accesslogformat=JSON",
                                 "metrics=[::1]:9100"};
    const auto r = parse_serve_arguments(all);
    REQUIRE(r);
    CHECK(r->threads == 2);
    REQUIRE(r->backends.size() == 2);
    CHECK(r->backends[1].str() == "[2001:db8::5]:8080");
    CHECK(r->proxy_protocol);
    CHECK(r->admin == "/run/a.sock");
    CHECK(r->max_connections == 500);
    CHECK(r->handshake_timeout == 3);
    CHECK(r->idle_timeout == 30);
    CHECK(r->response_timeout == 7);
    CHECK(r->access_log == "/var/log/sslbind/access.log");
    CHECK(r->access_log_json);
    CHECK(defaults->response_timeout == 120);
    CHECK_FALSE(defaults->access_log);
    CHECK(r->metrics->str() == "[::1]:9100");
    CHECK_FALSE(defaults->metrics);  // off unless given
    std::vector<std::string> port_only{"metrics=9100"};
    CHECK(parse_serve_arguments(port_only)->metrics->str() == "127.0.0.1:9100");  // loopback for a port alone
  }

  TEST_CASE("serve: refusals name the value and the rule") {
    auto refused = [](std::vector<std::string> args) {
      auto r = parse_serve_arguments(args);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == ErrorCode::InvalidParameter);
      return r.error().detail;
    };
    CHECK(refused({"threads=257"}) == "threads '257' is not a number from 0 (one per core) to 256");
    CHECK(refused({"threads=-1"}).starts_with("threads '-1'"));
    CHECK(
        refused({"backend=web01:80"}).starts_with("backend 'web01:80' is not an IP:port (host names are not resolved"));
    CHECK(refused({"backend=10.0.0.1:80,"}).starts_with("backend '' is not an IP:port"));
    CHECK(refused({"backend=0.0.0.0:80"}) ==
          "backend '0.0.0.0:80' is a wildcard; give the address the web worker listens on");
    CHECK(refused({"proxyprotocol=yes", "backend=10.0.0.1:80"}) == "proxyprotocol 'yes' is neither enable nor disable");
    CHECK(refused({"proxyprotocol=enable"}) == "proxyprotocol=enable needs backend=<ip:port>");
    CHECK(refused({"maxconnections=0"}) == "maxconnections '0' is not a number from 1 to 1000000");
    CHECK(refused({"handshaketimeout=0"}) == "handshaketimeout '0' is not a number of seconds from 1 to 86400");
    CHECK(refused({"idletimeout=86401"}) == "idletimeout '86401' is not a number of seconds from 1 to 86400");
    CHECK(refused({"admin="}) == "admin is empty; give a path");
    CHECK(refused({"responsetimeout=0"}) == "responsetimeout '0' is not a number of seconds from 1 to 86400");
    CHECK(refused({"accesslog="}) == "accesslog is empty; give a path");
    CHECK(refused({"accesslogformat=json"}) == "accesslogformat= needs accesslog=<file>|stderr");
    CHECK(refused({"accesslog=stderr", "accesslogformat=xml"}) == "accesslogformat 'xml' is neither text nor json");
    CHECK(refused({"port=443"}).starts_with("'port' is not a parameter of serve"));
    CHECK(refused({"threads=1", "threads=2"}) == "threads= is given twice");
    for (const char* bad : {"metrics=0", "metrics=99999", "metrics=host:9100", "metrics=127.0.0.1", "metrics=:9100"}) {
      CAPTURE(bad);
      CHECK(
          refused({bad}).ends_with(" is not a port or an IP:port to answer GET /metrics on, such as 9100 or "
                                   "127.0.0.1:9100"));
    }
  }

  TEST_CASE("show frontend: only admin=") {
    std::vector<std::string> args{"admin=/run/sslbind/admin.sock"};
    CHECK(**parse_frontend_arguments(args) == "/run/sslbind/admin.sock");
    std::vector<std::string> none;
    CHECK_FALSE(*parse_frontend_arguments(none));
    std::vector<std::string> bad{"generation=1"};
    CHECK_FALSE(parse_frontend_arguments(bad));
  }
}

TEST_SUITE("serve::proxy_protocol") {
  TEST_CASE("PROXY v2 header: signature, command, family, addresses and TLVs, byte by byte") {
    serve::ProxyHeaderInfo info{*IpPort::parse("192.0.2.10:51000"), *IpPort::parse("127.0.0.1:443"), "www.contoso.com",
                                "TLSv1.3", "TLS_AES_256_GCM_SHA384"};
    const std::string h = serve::proxy_v2_header(info);
    CHECK(h.substr(0, 12) == std::string("\r\n\r\n\0\r\nQUIT\n", 12));
    CHECK(static_cast<unsigned char>(h[12]) == 0x21);  // version 2, PROXY
    CHECK(static_cast<unsigned char>(h[13]) == 0x11);  // TCP over IPv4
    const auto length =
        static_cast<std::size_t>((static_cast<unsigned char>(h[14]) << 8) | static_cast<unsigned char>(h[15]));
    CHECK(h.size() == 16 + length);
    CHECK(h.substr(16, 4) == std::string("\xc0\x00\x02\x0a", 4));  // source 192.0.2.10
    CHECK(h.substr(20, 4) == std::string("\x7f\x00\x00\x01", 4));  // destination 127.0.0.1
    CHECK(h.substr(24, 4) == std::string("\xc7\x38\x01\xbb", 4));  // ports 51000, 443
    CHECK(h.substr(28, 3) == std::string("\x02\x00\x0f", 3));      // PP2_TYPE_AUTHORITY, 15 bytes
    CHECK(h.substr(31, 15) == "www.contoso.com");
    CHECK(static_cast<unsigned char>(h[46]) == 0x20);  // PP2_TYPE_SSL
    CHECK(h[49] == 0x01);                              // PP2_CLIENT_SSL
    CHECK(h.find(std::string("\x21\x00\x07TLSv1.3", 10)) != std::string::npos);
    CHECK(h.find(std::string("\x23\x00\x16TLS_AES_256_GCM_SHA384", 25)) != std::string::npos);

    serve::ProxyHeaderInfo v6{*IpPort::parse("[2001:db8::1]:40000"), *IpPort::parse("[::1]:443"), "", "TLSv1.2", "X"};
    const std::string h6 = serve::proxy_v2_header(v6);
    CHECK(static_cast<unsigned char>(h6[13]) == 0x21);    // TCP over IPv6
    CHECK(h6.find("\x02\x00", 52) == std::string::npos);  // no AUTHORITY without SNI
  }
}
