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

// A registry with one binding, loaded for serving as serve does; follow() starts hearing it. Another registry on the
// same root commits as the CLI would.
struct Served {
  test::TempDir dir;
  store::RegistryFile served{dir.path()};
  Heard heard;
  Served() {
    REQUIRE(served.transact([](RegistryState& s) { return s.bindings.add(ccs(443)); }));
    REQUIRE(served.load_for_serving());
  }
  ~Served() { served.unfollow(); }
  void follow() { REQUIRE(served.follow(heard.changed(), heard.report())); }
  void commit(std::uint16_t port) {
    REQUIRE(store::RegistryFile(dir.path()).transact([port](RegistryState& s) { return s.bindings.add(ccs(port)); }));
  }
};

}  // namespace

TEST_SUITE("the registry file tells of its changes") {
  TEST_CASE_FIXTURE(
      Served, "a commit by another process's registry is told, a burst of commits once or twice, not per commit") {
    follow();
    CHECK(heard.changes == 0);  // nothing was committed since the load
    commit(444);
    CHECK(test::within(2000ms, [&] { return heard.changes == 1; }));
    const int before = heard.changes;
    for (std::uint16_t port = 500; port < 510; ++port) commit(port);
    CHECK(test::within(2000ms, [&] { return heard.changes > before; }));
    std::this_thread::sleep_for(200ms);
    CHECK(heard.changes - before < 10);  // debounced (a burst may straddle one 50 ms window)
    CHECK(heard.warnings == 0);
  }

  TEST_CASE_FIXTURE(Served, "other files of the root are not the registry: no call") {
    follow();
    test::write_file(dir.path() / "registry.json.bak", "{}");
    test::write_file(dir.path() / "other.json", "{}");
    std::this_thread::sleep_for(300ms);  // a call would come 50 ms after the change
    CHECK(heard.changes == 0);
  }

  TEST_CASE_FIXTURE(Served, "a commit between the load and follow() is told at once") {
    commit(444);
    follow();
    CHECK(heard.changes == 1);
  }

  TEST_CASE_FIXTURE(Served, "after unfollow() no call comes") {
    follow();
    served.unfollow();
    commit(444);
    std::this_thread::sleep_for(200ms);
    CHECK(heard.changes == 0);
  }

  TEST_CASE("a folder's watch tells of any file created, written, renamed away or deleted, once per burst") {
    test::TempDir dir;
    std::atomic<int> calls{0};
    auto watch = store::FileWatch::start_folder(dir.path(), [&] { ++calls; });
    REQUIRE(watch);
    test::write_file(dir.path() / "www.contoso.com.pfx", "x");
    CHECK(test::within(2000ms, [&] { return calls == 1; }));
    std::filesystem::rename(dir.path() / "www.contoso.com.pfx", dir.path() / "old.pfx.bak");
    CHECK(test::within(2000ms, [&] { return calls == 2; }));
    std::filesystem::remove(dir.path() / "old.pfx.bak");
    CHECK(test::within(2000ms, [&] { return calls == 3; }));
    const int before = calls;
    for (int i = 0; i < 20; ++i) test::write_file(dir.path() / ("site" + std::to_string(i) + ".pfx"), "x");
    CHECK(test::within(2000ms, [&] { return calls > before; }));
    std::this_thread::sleep_for(200ms);
    CHECK(calls - before < 20);  // debounced
    watch->reset();
    test::write_file(dir.path() / "after.pfx", "x");
    const int stopped_at = calls;
    std::this_thread::sleep_for(200ms);
    CHECK(calls == stopped_at);  // no call after the watch is gone
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
