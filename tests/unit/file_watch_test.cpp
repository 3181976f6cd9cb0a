#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "store/file_watch.hpp"
#include "store/registry_file.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/within.hpp"

using namespace sslbind;
using namespace std::chrono_literals;

namespace {

Binding ccs(std::uint16_t port) { return Binding{BindingKey::ccs(port), {}}; }

// What a front end hears from the registry it follows.
struct Heard {
  std::atomic<int> changes{0};
  std::atomic<int> warnings{0};
  store::Registry::Changed changed() {
    return [this](const std::string& why) {
      CHECK(why == "registry changed");
      ++changes;
    };
  }
  store::Registry::Report report() {
    return [this](bool warning, const std::string&) { warnings += warning ? 1 : 0; };
  }
};

}  // namespace

TEST_SUITE("the registry file tells of its changes") {
  TEST_CASE("a commit by another process's registry is told, a burst of commits once or twice, not per commit") {
    test::TempDir dir;
    store::RegistryFile served(dir.path());
    REQUIRE(served.transact([](RegistryState& s) { return s.bindings.add(ccs(443)); }));
    REQUIRE(served.load_for_serving());
    Heard heard;
    REQUIRE(served.follow(heard.changed(), heard.report()));
    CHECK(heard.changes == 0);  // nothing was committed since the load

    store::RegistryFile command(dir.path());  // as the CLI's own
    REQUIRE(command.transact([](RegistryState& s) { return s.bindings.add(ccs(444)); }));
    CHECK(test::within(2000ms, [&] { return heard.changes == 1; }));
    const int before = heard.changes;
    for (std::uint16_t port = 500; port < 510; ++port) {
      REQUIRE(command.transact([port](RegistryState& s) { return s.bindings.add(ccs(port)); }));
    }
    CHECK(test::within(2000ms, [&] { return heard.changes > before; }));
    std::this_thread::sleep_for(200ms);
    CHECK(heard.changes - before < 10);  // debounced (a burst may straddle one 50 ms window)
    CHECK(heard.warnings == 0);
    served.unfollow();
  }

  TEST_CASE("other files of the root are not the registry: no call") {
    test::TempDir dir;
    store::RegistryFile served(dir.path());
    REQUIRE(served.transact([](RegistryState& s) { return s.bindings.add(ccs(443)); }));
    REQUIRE(served.load_for_serving());
    Heard heard;
    REQUIRE(served.follow(heard.changed(), heard.report()));
    test::write_file(dir.path() / "registry.json.bak", "{}");
    test::write_file(dir.path() / "other.json", "{}");
    std::this_thread::sleep_for(300ms);  // a call would come 50 ms after the change
    CHECK(heard.changes == 0);
    served.unfollow();
  }

  TEST_CASE("a commit between the load and follow() is told at once") {
    test::TempDir dir;
    store::RegistryFile served(dir.path());
    REQUIRE(served.transact([](RegistryState& s) { return s.bindings.add(ccs(443)); }));
    REQUIRE(served.load_for_serving());
    REQUIRE(store::RegistryFile(dir.path()).transact([](RegistryState& s) { return s.bindings.add(ccs(444)); }));
    Heard heard;
    REQUIRE(served.follow(heard.changed(), heard.report()));
    CHECK(heard.changes == 1);
    served.unfollow();
  }

  TEST_CASE("after unfollow() no call comes") {
    test::TempDir dir;
    store::RegistryFile served(dir.path());
    REQUIRE(served.load_for_serving());
    Heard heard;
    REQUIRE(served.follow(heard.changed(), heard.report()));
    served.unfollow();
    REQUIRE(store::RegistryFile(dir.path()).transact([](RegistryState& s) { return s.bindings.add(ccs(443)); }));
    std::this_thread::sleep_for(200ms);
    CHECK(heard.changes == 0);
  }

  TEST_CASE("a folder that cannot be watched is an error naming it") {
    test::TempDir dir;
    auto watch = store::FileWatch::start(dir.path() / "missing" / "registry.json", [] {});
    REQUIRE(!watch);
    CHECK(watch.error().detail.find((dir.path() / "missing").string()) != std::string::npos);
    store::RegistryFile served(dir.path() / "missing");
    Heard heard;
    CHECK(!served.follow(heard.changed(), heard.report()));
    CHECK(heard.warnings == 1);
  }
}
