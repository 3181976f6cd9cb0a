#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "core/memory_binding_table.hpp"
#include "core/selection.hpp"
#include "store/etcd_binding_table.hpp"
#include "store/etcd_layout.hpp"
#include "store/registry_codec.hpp"
#include "tests/support/binding_fixtures.hpp"

using namespace sslbind;
namespace etcd = sslbind::store::etcd;

namespace {

const std::string kPrefix = etcd::prefix_of("web");

// The keys a farm of these bindings holds on etcd, as the commands write them, with a config key and the counter.
std::shared_ptr<store::EtcdValues> values_of(const BindingSet& set) {
  RegistryState state;
  state.bindings = set;
  auto values = std::make_shared<store::EtcdValues>();
  for (auto& [key, value] : etcd::encode(kPrefix, state, store::empty_document())) {
    values->emplace(key, std::make_shared<const std::string>(value));
  }
  values->emplace(etcd::counter_key(kPrefix), std::make_shared<const std::string>("7"));
  return values;
}

}  // namespace

TEST_SUITE("store::EtcdBindingTable") {
  TEST_CASE("every binding is found under its key as the in-memory table finds it, and the listen plan is the same") {
    const BindingSet set = test::every_family();
    const store::EtcdBindingTable table(kPrefix, values_of(set));
    const MemoryBindingTable memory(set);
    CHECK(table.size() == set.size());
    CHECK(table.listen_plan() == memory.listen_plan());
    for (const auto& entry : set) {
      CAPTURE(entry.first.as_parameter());
      const auto found = test::look_up(table, entry.first);
      REQUIRE(found);
      CHECK(found->key.value() == entry.first.value());  // the host keeps its spelling
      CHECK(found->settings == entry.second.settings);
      CHECK(found->extended == entry.second.extended);
    }
    CHECK_FALSE(table.ip_port(*IpAddress::parse("127.0.0.3", "t"), 443));
    CHECK_FALSE(table.host_port(KeyKind::HostnamePort, "shop.contoso.com", 8443));  // scopedccs, not hostnameport
    CHECK_FALSE(table.ccs(8443));
  }

  TEST_CASE("the selection over it chooses as over the in-memory table: what resolve says, a handshake gets") {
    const BindingSet set = test::every_family();
    const SelectionIndex lazy(std::make_shared<store::EtcdBindingTable>(kPrefix, values_of(set)));
    const SelectionIndex memory(set);
    const CcsLookup no_ccs = [](std::string_view) { return CcsOutcome{}; };
    for (const char* address : {"127.0.0.2", "127.0.0.9", "::1", "::2"}) {
      for (const std::uint16_t port : {std::uint16_t{443}, std::uint16_t{8443}, std::uint16_t{9443}}) {
        for (const char* sni : {"", "www.contoso.com", "a.contoso.com", "shop.contoso.com", "other.example"}) {
          ClientHello hello{*IpAddress::parse(address, "t"), port, std::nullopt};
          if (*sni != '\0') hello.sni = sni;
          CAPTURE(address);
          CAPTURE(port);
          CAPTURE(sni);
          const Selection a = lazy.select(hello, no_ccs);
          const Selection b = memory.select(hello, no_ccs);
          REQUIRE(a.winner.has_value() == b.winner.has_value());
          if (!a.winner) continue;
          CHECK(a.winner->step == b.winner->step);
          CHECK(a.winner->binding->key == b.winner->binding->key);
          CHECK(a.hidden.size() == b.hidden.size());
        }
      }
    }
  }

  TEST_CASE("a value that cannot be decoded is no binding, and the others are still found") {
    const BindingSet set = test::every_family();
    auto values = values_of(set);
    const std::string damaged = kPrefix + "bindings/SslBindingInfo/0.0.0.0:443";
    REQUIRE(values->contains(damaged));
    (*values)[damaged] = std::make_shared<const std::string>("0.0.0.0:443\n{not json");
    const std::string misnamed = kPrefix + "bindings/SslBindingInfo/127.0.0.2:443";
    (*values)[misnamed] = std::make_shared<const std::string>("127.0.0.5:443\n{}");  // names another key
    const store::EtcdBindingTable table(kPrefix, values);
    CHECK_FALSE(table.ip_port(*IpAddress::parse("0.0.0.0", "t"), 443));
    CHECK_FALSE(table.ip_port(*IpAddress::parse("127.0.0.2", "t"), 443));
    CHECK(table.ip_port(*IpAddress::parse("::", "t"), 443));
    CHECK(table.ccs(443));
  }

  TEST_CASE("keys outside the bindings, and binding names that say no port, are neither counted nor listened on") {
    auto values = std::make_shared<store::EtcdValues>();
    values->emplace(kPrefix + "config", std::make_shared<const std::string>("{}"));
    values->emplace(kPrefix + "bindings/SslSniBindingInfo/no-port.example",
                    std::make_shared<const std::string>("no-port.example\n{}"));
    values->emplace(kPrefix + "bindings/SslBindingInfo/999.1.1.1:443", std::make_shared<const std::string>("x"));
    const store::EtcdBindingTable table(kPrefix, values);
    CHECK(table.size() == 0);
    CHECK(table.listen_plan() == ListenPlan{});
  }
}
