#include "tests/support/binding_fixtures.hpp"

#include <doctest/doctest.h>

#include "core/text.hpp"

namespace sslbind::test {

SslSettings settings(char hash_digit) {
  SslSettings s;
  s.certhash = *Thumbprint::parse(std::string(40, hash_digit));
  s.appid = *Guid::parse("{4dc3e181-e14b-4a21-b022-59fc669b0914}");
  return s;
}

BindingSet every_family() {
  BindingSet set;
  SslSettings tuned = settings('a');
  tuned.flags = 0x4840;
  tuned.certstorename = "WebHosting";
  tuned.ctl_identifier = "Trusted issuers";
  tuned.revocation_freshness_time = 60;
  tuned.ctl_store_name = "CtlStore";
  tuned.check_mode = 0x10005;
  tuned.url_retrieval_timeout = 15000;
  // Every field differs from its default in this binding: the round trip covers each.
  Binding sni{BindingKey::sni(*HostPort::parse("www.Contoso.com:443", "hostnameport")), tuned};
  sni.extended = {65535, 100, 1000};
  SslSettings ccs;
  ccs.appid = tuned.appid;
  for (const Binding& b : {
           Binding{BindingKey::ip(*IpPort::parse("0.0.0.0:443")), settings('b')},
           Binding{BindingKey::ip(*IpPort::parse("[::]:443")), settings('c')},
           Binding{BindingKey::ip(*IpPort::parse("127.0.0.2:443")), settings('d')},
           Binding{BindingKey::ip(*IpPort::parse("[::1]:8443")), settings('e')},
           sni,
           Binding{BindingKey::sni(*HostPort::parse("*.contoso.com:443", "hostnameport")), settings('f')},
           Binding{BindingKey::ccs(443), ccs},
           Binding{BindingKey::scoped_ccs(*HostPort::parse("shop.contoso.com:8443", "scopedccs")), ccs},
       }) {
    REQUIRE(set.add(b));
  }
  return set;
}

std::shared_ptr<const Binding> look_up(const BindingTable& table, const BindingKey& key) {
  switch (key.kind()) {
    case KeyKind::IpPort: return table.ip_port(key.ip_port().address, key.port());
    case KeyKind::HostnamePort:
    case KeyKind::ScopedCcs: return table.host_port(key.kind(), text::to_lower(key.host()), key.port());
    case KeyKind::Ccs: return table.ccs(key.port());
  }
  return nullptr;
}

}  // namespace sslbind::test
