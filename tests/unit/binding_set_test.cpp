#include <doctest/doctest.h>

#include "core/binding_set.hpp"

using namespace sslbind;

namespace {

Binding sni(const char* host, std::uint16_t port = 443) {
  Binding b{BindingKey::sni(*HostPort::parse(std::string(host) + ":" + std::to_string(port), "hostnameport")), {}};
  b.settings.certhash = *Thumbprint::parse("0102030405060708090a0b0c0d0e0f1011121314");
  b.settings.certstorename = "MY";
  return b;
}

Binding ip(const char* ipport) { return Binding{BindingKey::ip(*IpPort::parse(ipport)), {}}; }

}  // namespace

TEST_CASE("add refuses a taken key, host names without regard to case") {
  BindingSet set;
  CHECK(set.add(sni("www.contoso.com")));
  auto again = set.add(sni("WWW.Contoso.COM"));
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::AlreadyExists);
  CHECK(again.error().detail ==
        "hostnameport=www.contoso.com:443 already has a binding; use update sslcert to change it, or delete it first");
  CHECK(set.add(sni("www.contoso.com", 8443)));
  CHECK(set.size() == 2);
}

TEST_CASE("update replaces every setting and keeps the stored spelling") {
  BindingSet set;
  Binding first = sni("www.contoso.com");
  first.settings.flags = 0x10;
  REQUIRE(set.add(first));
  Binding second = sni("WWW.CONTOSO.COM");
  second.settings.certstorename = "WebHosting";
  REQUIRE(set.update(second));
  const Binding* stored = set.find(second.key);
  REQUIRE(stored);
  CHECK(stored->key.value() == "www.contoso.com:443");
  CHECK(stored->settings.flags == 0);
  CHECK(stored->settings.certstorename == "WebHosting");
  CHECK(set.update(sni("other.contoso.com")).error().code == ErrorCode::NotFound);
}

TEST_CASE("remove and the same address in IPv4 and IPv6 form") {
  BindingSet set;
  REQUIRE(set.add(ip("0.0.0.0:443")));
  REQUIRE(set.add(ip("[::]:443")));
  REQUIRE(set.add(ip("[0:0::0]:8443")));
  CHECK(set.add(ip("[::0]:8443")).error().code == ErrorCode::AlreadyExists);
  CHECK(set.remove(BindingKey::ip(*IpPort::parse("[::]:443"))));
  CHECK(set.remove(BindingKey::ip(*IpPort::parse("[::]:443"))).error().code == ErrorCode::NotFound);
  CHECK(set.size() == 2);
}

TEST_CASE("iteration lists IP, then SNI, then CCS, then scoped CCS") {
  BindingSet set;
  REQUIRE(set.add(Binding{BindingKey::ccs(443), {}}));
  REQUIRE(set.add(sni("b.contoso.com")));
  REQUIRE(set.add(ip("10.0.0.2:443")));
  REQUIRE(set.add(ip("9.0.0.1:443")));
  std::vector<std::string> order;
  for (const auto& [key, b] : set) order.push_back(key.as_parameter());
  CHECK(order == std::vector<std::string>{"ipport=9.0.0.1:443", "ipport=10.0.0.2:443", "hostnameport=b.contoso.com:443",
                                          "ccs=443"});
}
