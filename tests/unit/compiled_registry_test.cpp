#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/memory_binding_table.hpp"
#include "store/compiled_registry.hpp"
#include "store/registry_file.hpp"
#include "tests/support/binding_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

using namespace sslbind;
using sslbind::test::every_family;
using sslbind::test::look_up;
using sslbind::test::settings;

namespace {

const store::FileIdentity kSource{64769, 1234567, 5000, 1'700'000'000'123'456'789};

std::string compiled_bytes(const BindingSet& set, std::string_view rest = "{}") {
  auto bytes = store::compile_registry(set, rest, kSource);
  REQUIRE(bytes);
  return *bytes;
}

std::shared_ptr<const store::CompiledRegistry> compiled(const BindingSet& set) {
  auto table = store::CompiledRegistry::from_bytes(compiled_bytes(set), kSource);
  REQUIRE(table);
  return *table;
}

}  // namespace

TEST_SUITE("store::CompiledRegistry") {
  TEST_CASE("every binding is found under its key, with every value as it was") {
    const BindingSet set = every_family();
    const auto table = compiled(set);
    CHECK(table->size() == set.size());
    CHECK(table->listen_plan() == listen_plan_of(set));
    CHECK(table->listen_plan().ports == std::vector<std::uint16_t>{443, 8443});
    CHECK(table->listen_plan().addresses.size() == 2);  // 127.0.0.2:443 and [::1]:8443, not the wildcards
    for (const auto& entry : set) {
      const auto& [key, binding] = entry;
      CAPTURE(entry.first.as_parameter());  // clang 14 captures no structured binding in a lambda
      const auto found = look_up(*table, key);
      REQUIRE(found);
      CHECK(found->key == key);
      CHECK(found->key.value() == key.value());  // the host keeps its spelling
      CHECK(found->settings == binding.settings);
      CHECK(found->extended == binding.extended);
    }
  }

  TEST_CASE("keys that are not there are not found") {
    const auto table = compiled(every_family());
    CHECK_FALSE(table->ip_port(*IpAddress::parse("127.0.0.3", "t"), 443));
    CHECK_FALSE(table->ip_port(*IpAddress::parse("0.0.0.0", "t"), 8443));
    CHECK_FALSE(table->ip_port(*IpAddress::parse("::", "t"), 8443));                 // [::]:443 is bound, not [::]:8443
    CHECK_FALSE(table->ip_port(*IpAddress::parse("::1", "t"), 443));                 // [::1]:8443 only
    CHECK_FALSE(table->host_port(KeyKind::HostnamePort, "shop.contoso.com", 8443));  // scopedccs, not hostnameport
    CHECK_FALSE(table->host_port(KeyKind::ScopedCcs, "shop.contoso.com", 443));
    CHECK_FALSE(table->host_port(KeyKind::HostnamePort, "www.contoso.com", 8443));
    CHECK_FALSE(table->ccs(8443));
    CHECK(table->host_port(KeyKind::HostnamePort, "*.contoso.com", 443));
  }

  TEST_CASE("many bindings and an empty registry") {
    BindingSet many;
    for (int i = 0; i < 5000; ++i) {
      REQUIRE(many.add(
          {BindingKey::sni(*HostPort::parse("site" + std::to_string(i) + ".contoso.com:443", "h")), settings('a')}));
    }
    const auto table = compiled(many);
    for (int i = 0; i < 5000; i += 7) {
      CHECK(table->host_port(KeyKind::HostnamePort, "site" + std::to_string(i) + ".contoso.com", 443));
    }
    CHECK_FALSE(table->host_port(KeyKind::HostnamePort, "site5000.contoso.com", 443));
    const auto empty = compiled(BindingSet{});
    CHECK(empty->size() == 0);
    CHECK_FALSE(empty->ccs(443));
    CHECK(empty->listen_plan().ports.empty());
  }

  TEST_CASE("the rest of the registry is kept as given") {
    const std::string rest = R"({"schemaVersion":1,"x":"y"})";
    auto table = store::CompiledRegistry::from_bytes(compiled_bytes(every_family(), rest), kSource);
    REQUIRE(table);
    CHECK((*table)->rest() == rest);
  }

  TEST_CASE("a file stamped for another registry.json is not used") {
    for (int field = 0; field < 4; ++field) {
      store::FileIdentity other = kSource;
      switch (field) {
        case 0: ++other.device; break;
        case 1: ++other.inode; break;
        case 2: ++other.size; break;
        default: ++other.mtime_ns; break;
      }
      CAPTURE(field);
      auto table = store::CompiledRegistry::from_bytes(compiled_bytes(every_family()), other);
      REQUIRE_FALSE(table);
      CHECK(table.error().detail.find("compiled for another registry.json") != std::string::npos);
    }
  }

  TEST_CASE("a truncated, extended or damaged file is not used") {
    const std::string good = compiled_bytes(every_family());
    for (std::size_t size : {std::size_t{0}, std::size_t{7}, std::size_t{100}, good.size() / 2, good.size() - 1}) {
      CAPTURE(size);
      CHECK_FALSE(store::CompiledRegistry::from_bytes(good.substr(0, size), kSource));
    }
    CHECK_FALSE(store::CompiledRegistry::from_bytes(good + '\0', kSource));
    // One flipped bit anywhere: the header checks or the checksum catch it.
    for (std::size_t at = 0; at < good.size(); at += 13) {
      std::string bad = good;
      bad[at] = static_cast<char>(bad[at] ^ 0x10);
      CAPTURE(at);
      CHECK_FALSE(store::CompiledRegistry::from_bytes(bad, kSource));
    }
    std::string other_format = good;
    other_format[12] = 2;  // the format number follows the magic and the byte-order mark
    auto refused = store::CompiledRegistry::from_bytes(other_format, kSource);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().detail.find("this sslbind reads format 1") != std::string::npos);
  }
}

TEST_SUITE("store::RegistryFile compiled form") {
  TEST_CASE("each commit writes registry.idx for the new registry.json, and serving maps it") {
    test::TempDir dir;
    store::RegistryFile reg(dir.path());
    const BindingSet set = every_family();
    REQUIRE(reg.transact([&](RegistryState& s) {
      s.bindings = set;
      s.ccs_provider = CcsProviderConfig{true, "/srv/ccs", std::nullopt, std::nullopt, 60};
      return Status{Ok{}};
    }));
    auto serving = reg.load_for_serving();
    REQUIRE(serving);
    CHECK(serving->source == (dir.path() / "registry.idx").string());
    CHECK(serving->rest.bindings.empty());
    REQUIRE(serving->rest.ccs_provider);
    CHECK(serving->rest.ccs_provider->location == "/srv/ccs");
    CHECK(serving->rest.ccs_provider->polling_interval == 60);
    CHECK(serving->bindings->size() == set.size());
    CHECK(look_up(*serving->bindings, BindingKey::ccs(443)));
    // The next commit writes a new one: the deleted binding is gone from what is served.
    REQUIRE(reg.transact([](RegistryState& s) { return s.bindings.remove(BindingKey::ccs(443)); }));
    serving = reg.load_for_serving();
    REQUIRE(serving);
    CHECK(serving->source == (dir.path() / "registry.idx").string());
    CHECK_FALSE(look_up(*serving->bindings, BindingKey::ccs(443)));
    CHECK(serving->bindings->size() == set.size() - 1);
  }

  TEST_CASE("a stale, damaged or missing registry.idx: registry.json is read whole") {
    test::TempDir dir;
    store::RegistryFile reg(dir.path());
    REQUIRE(reg.transact([&](RegistryState& s) { return s.bindings.add({BindingKey::ccs(443), {}}); }));
    const auto idx = dir.path() / "registry.idx";
    SUBCASE("registry.json replaced without it (an older sslbind, an editor, a restore)") {
      const std::string text = test::read_file(reg.path());
      std::filesystem::remove(reg.path());
      test::write_file(reg.path(), text);
      ::chmod(reg.path().c_str(), 0600);
    }
    SUBCASE("a damaged registry.idx") {
      std::string bytes = test::read_file(idx);
      bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
      test::write_file(idx, bytes);
      ::chmod(idx.c_str(), 0600);
    }
    SUBCASE("no registry.idx") { std::filesystem::remove(idx); }
    auto serving = reg.load_for_serving();
    REQUIRE(serving);
    CHECK(serving->source.find("registry.json, read whole (the compiled registry is not used: ") != std::string::npos);
    CHECK(serving->bindings->size() == 1);
    CHECK(look_up(*serving->bindings, BindingKey::ccs(443)));
  }
}

TEST_CASE("the in-memory table and the compiled one agree on every key") {
  const BindingSet set = every_family();
  const MemoryBindingTable memory(set);
  const auto table = compiled(set);
  CHECK(memory.size() == table->size());
  CHECK(memory.listen_plan() == table->listen_plan());
  for (const auto& entry : set) {
    const BindingKey& key = entry.first;
    CAPTURE(entry.first.as_parameter());
    CHECK(look_up(memory, key)->settings == look_up(*table, key)->settings);
  }
}
