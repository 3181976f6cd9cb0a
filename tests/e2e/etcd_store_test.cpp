// The registry on etcd (--store etcd://HOST:PORT/FARM): a real etcd-server on loopback (Debian's etcd-server, started
// and stopped by pid). The commands give the same texts, error numbers and JSON as on the file; concurrent writers
// lose nothing; a batch is one transaction and one larger than etcd allows is refused whole; an etcd that does not
// answer is exit 3 with one line, after a bounded wait.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/e2e/sslbind_runner.hpp"
#include "tests/support/etcd_server.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tests/support/process.hpp"
#include "tests/support/serve_process.hpp"
#include "tests/support/tls_client.hpp"

using namespace sslbind::test;

namespace {

using Etcd = EtcdServer;

// The same sslbind root (its stores hold the test certificates) with its registry on etcd.
struct OnEtcd {
  Sslbind sslbind;
  std::string store;
  ProcessResult operator()(std::vector<std::string> args) const {
    args.insert(args.begin(), "--store=" + store);
    return sslbind(args);
  }
};

std::vector<std::string> add_ip(int port, const std::string& thumbprint) {
  return {"add", "sslcert", "ipport=0.0.0.0:" + std::to_string(port), "certhash=" + thumbprint, "appid=" + kAppId};
}

}  // namespace

TEST_SUITE("registry on etcd") {
  TEST_CASE("commands give the file's texts, error numbers and JSON, and write nothing to the file") {
    Etcd etcd;
    OnEtcd remote{Sslbind(), etcd.store()};
    Sslbind local;
    const std::string thumbprint = test_certificate(0).thumbprint;
    for (const auto& args : std::vector<std::vector<std::string>>{
             add_ip(443, thumbprint),
             add_ip(443, thumbprint),
             {"add", "sslcert", "hostnameport=www.contoso.com:443", "certhash=" + thumbprint, "appid=" + kAppId,
              "certstorename=MY"},
             {"show", "sslcert"},
             {"--json", "show", "sslcert", "ipport=0.0.0.0:443"},
             {"update", "sslcert", "ipport=0.0.0.0:8443", "certhash=" + thumbprint, "appid=" + kAppId},
             {"add", "webfarm", "name=www", "server=127.0.0.1:8080"},
             {"add", "route", "host=*", "webfarm=www"},
             {"--json", "show", "webfarm"},
             {"delete", "sslcert", "ipport=0.0.0.0:443"},
             {"delete", "sslcert", "ipport=0.0.0.0:443"},
             {"--json", "delete", "sslcert", "ipport=0.0.0.0:443"},
             {"show", "sslcert"}}) {
      const auto there = remote(args), here = local(args);
      std::string command;
      for (const auto& a : args) command += a + " ";
      INFO(command);
      CHECK(there.exit_code == here.exit_code);
      CHECK(there.out == here.out);
      CHECK(there.err == here.err);
    }
    CHECK_FALSE(std::filesystem::exists(remote.sslbind.root.path() / "registry.json"));
    CHECK(local({"show", "farm"}).exit_code == 2);  // the file has no farm
    CHECK(nlohmann::json::parse(remote({"--json", "show", "farm"}).out)["farm"]["frontends"].empty());
    // Another farm on the same etcd is another registry.
    const Sslbind empty(EmptyRoot{});
    CHECK(OnEtcd{Sslbind(EmptyRoot{}), etcd.store("other")}({"show", "sslcert"}).out == empty({"show", "sslcert"}).out);
  }

  TEST_CASE("the farm key opens the farm's sealed secrets on another front end, and check names missing certificates") {
    Etcd etcd;
    OnEtcd first{Sslbind(), etcd.store()};
    OnEtcd second{Sslbind(EmptyRoot{}), etcd.store()};
    TempDir files;
    std::filesystem::create_directories(files.path() / "ccs");
    write_file(files.path() / "password.txt", "pfx-secret\n");
    REQUIRE(first({"add", "ccs", "location=" + (files.path() / "ccs").string(),
                   "passwordfile=" + (files.path() / "password.txt").string()})
                .exit_code == 0);
    // The second front end shares the registry, not the key that sealed the password.
    const auto locked = second({"show", "ccs"});
    CHECK(locked.exit_code == 3);
    CHECK(locked.err.find("sslbind import farmkey file=<exported>") != std::string::npos);

    const auto exported = files.path() / "farm.key";
    const auto e = first({"export", "farmkey", "file=" + exported.string()});
    REQUIRE_MESSAGE(e.exit_code == 0, e.err);
    CHECK((std::filesystem::status(exported).permissions() & std::filesystem::perms::group_all) ==
          std::filesystem::perms::none);
    REQUIRE(second({"import", "farmkey", "file=" + exported.string()}).exit_code == 0);
    CHECK(second({"show", "ccs"}).exit_code == 0);
    CHECK(second({"import", "farmkey", "file=" + exported.string()}).exit_code == 0);  // the same key again: fine

    // A root that made a key of its own refuses another: what it sealed would no longer open.
    OnEtcd third{Sslbind(EmptyRoot{}), etcd.store("elsewhere")};
    REQUIRE(third({"export", "farmkey", "file=" + (files.path() / "own.key").string()}).exit_code == 0);
    const auto refused = third({"import", "farmkey", "file=" + exported.string()});
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("already holds another key") != std::string::npos);
    write_file(files.path() / "bad.key", "sslbind-farm-key:not-hex\n");
    CHECK(second({"import", "farmkey", "file=" + (files.path() / "bad.key").string()}).exit_code == 2);

    // Certificate stores stay per machine: check on the second front end names the thumbprint its stores lack.
    const std::string thumbprint = test_certificate(0).thumbprint;
    REQUIRE(first(add_ip(443, thumbprint)).exit_code == 0);
    const auto checked = second({"--json", "check"});
    CHECK(checked.out.find("certificate-missing") != std::string::npos);
    CHECK(checked.out.find(thumbprint) != std::string::npos);
    CHECK(first({"--json", "check"}).out.find("certificate-missing") == std::string::npos);
  }

  // In the suite "runs alone" (tests/serial_tests.cmake): its 8 writers saturate both cores of a CI machine.
  TEST_CASE("8 writers of 200 adds each with updates, deletes and a batch among them: nothing is lost" *
            doctest::test_suite("runs alone")) {
    Etcd etcd;
    OnEtcd remote{Sslbind(), etcd.store()};
    const std::string thumbprint = test_certificate(0).thumbprint;
    constexpr int kWriters = 8, kAdds = 200;
    // Each writer adds its own 200 ports and updates one of them; adds a shared one (one wins, the others get
    // 183); deletes its first port twice (2 the second time). The first writer also runs a batch, a whole-registry
    // transaction, in the middle of the one-key ones.
    std::vector<pid_t> writers;
    TempDir logs;
    std::string batch;
    for (int i = 1; i <= 20; ++i) {
      batch +=
          "add sslcert ipport=10.20.0." + std::to_string(i) + ":443 certhash=" + thumbprint + " appid=" + kAppId + "\n";
    }
    write_file(logs.path() / "batch.txt", batch);
    for (int w = 0; w < kWriters; ++w) {
      const auto file = logs.path() / ("writer" + std::to_string(w) + ".sh");
      const std::string net = "10." + std::to_string(w) + ".0.";
      std::string shell = "set -u\nS='" + std::string(SSLBIND_BINARY) + " --root " + remote.sslbind.root.str() +
                          " --store=" + remote.store + "'\n";
      for (int i = 1; i <= kAdds; ++i) {
        shell += "$S add sslcert ipport=" + net + std::to_string(i) + ":443 certhash=" + thumbprint +
                 " appid=" + kAppId + " >/dev/null || echo FAIL $?\n";
        if (w == 0 && i == kAdds / 2) {
          shell += "$S -f " + (logs.path() / "batch.txt").string() + " >/dev/null || echo FAIL batch $?\n";
        }
      }
      shell += "$S update sslcert ipport=" + net + "2:443 certhash=" + thumbprint + " appid=" + kAppId +
               " disablehttp2=enable >/dev/null || echo FAIL update $?\n";
      shell += "$S add sslcert ipport=10.9.9.9:443 certhash=" + thumbprint + " appid=" + kAppId +
               " >/dev/null; echo SHARED $?\n";
      shell += "$S delete sslcert ipport=" + net + "1:443 >/dev/null || echo FAIL $?\n";
      shell += "$S delete sslcert ipport=" + net + "1:443 >/dev/null; echo AGAIN $?\n";
      write_file(file, shell);
      writers.push_back(
          spawn_process({"/bin/sh", file.string()}, (logs.path() / ("out" + std::to_string(w))).string()));
    }
    for (pid_t pid : writers) {
      int status = 0;
      ::waitpid(pid, &status, 0);
    }
    int shared_won = 0;
    for (int w = 0; w < kWriters; ++w) {
      const std::string out = read_file(logs.path() / ("out" + std::to_string(w)));
      INFO(out);
      CHECK(out.find("FAIL") == std::string::npos);
      CHECK(out.find("AGAIN 1") != std::string::npos);  // 2: "The system cannot find the file specified."
      if (out.find("SHARED 0") != std::string::npos)
        ++shared_won;
      else
        CHECK(out.find("SHARED 1") != std::string::npos);  // 183
    }
    CHECK(shared_won == 1);
    const auto shown = nlohmann::json::parse(remote({"--json", "show", "sslcert"}).out);
    std::set<std::string> keys, http2_disabled;
    for (const auto& b : shown["bindings"]) {
      keys.insert(b["ipport"].get<std::string>());
      if (b["disablehttp2"] == true) http2_disabled.insert(b["ipport"].get<std::string>());
    }
    CHECK(keys.size() == static_cast<std::size_t>(kWriters * (kAdds - 1) + 1 + 20));
    CHECK(http2_disabled.size() == static_cast<std::size_t>(kWriters));
    for (int w = 0; w < kWriters; ++w) {
      const std::string net = "10." + std::to_string(w) + ".0.";
      CHECK_FALSE(keys.contains(net + "1:443"));
      CHECK(keys.contains(net + std::to_string(kAdds) + ":443"));
      CHECK(http2_disabled.contains(net + "2:443"));
    }
    CHECK(keys.contains("10.20.0.20:443"));
  }

  TEST_CASE("a batch is one transaction, and one larger than etcd allows is refused whole, naming the limit") {
    Etcd etcd({"--max-txn-ops", "16"});
    OnEtcd remote{Sslbind(), etcd.store()};
    const std::string thumbprint = test_certificate(0).thumbprint;
    TempDir files;
    std::string small, large;
    for (int i = 1; i <= 40; ++i) {
      const std::string tail = "." + std::to_string(i) + ":443 certhash=" + thumbprint + " appid=" + kAppId + "\n";
      if (i <= 10) small += "http add sslcert ipport=10.1.0" + tail;
      large += "http add sslcert ipport=10.2.0" + tail;
    }
    write_file(files.path() / "small.txt", small);
    write_file(files.path() / "large.txt", large);
    CHECK(remote({"-f", (files.path() / "small.txt").string()}).exit_code == 0);
    const auto refused = remote({"-f", (files.path() / "large.txt").string()});
    CHECK(refused.exit_code == 3);
    CHECK(refused.err.find("--max-txn-ops") != std::string::npos);
    CHECK(nlohmann::json::parse(remote({"--json", "show", "sslcert"}).out)["bindings"].size() == 10);
  }

  TEST_CASE("an etcd that does not answer: exit 3 with one line, within the deadline") {
    const std::uint16_t nobody = free_port();
    Sslbind sslbind(EmptyRoot{});
    const auto started = std::chrono::steady_clock::now();
    const auto r = sslbind({"--store=etcd://127.0.0.1:" + std::to_string(nobody) + "/web", "show", "sslcert"});
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(8));
    CHECK(r.exit_code == 3);
    CHECK(r.err == "sslbind: etcd did not answer at 127.0.0.1:" + std::to_string(nobody) +
                       " within 5000 ms; nothing was changed\n");
    const auto bad = sslbind({"--store=etcd://127.0.0.1:2379", "show", "sslcert"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("it names no farm") != std::string::npos);
  }
}

namespace {

// SSLBIND_STORE for the processes a test starts (serve takes the store from it as the commands do), restored after.
struct StoreEnvironment {
  explicit StoreEnvironment(const std::string& store, std::vector<std::pair<std::string, std::string>> more = {})
      : more_(std::move(more)) {
    ::setenv("SSLBIND_STORE", store.c_str(), 1);
    for (const auto& [name, value] : more_) ::setenv(name.c_str(), value.c_str(), 1);
  }
  ~StoreEnvironment() {
    ::unsetenv("SSLBIND_STORE");
    for (const auto& entry : more_) ::unsetenv(entry.first.c_str());
  }

 private:
  std::vector<std::pair<std::string, std::string>> more_;
};

nlohmann::json frontend_of(const Sslbind& root) {
  const auto r = root({"--json", "show", "frontend"});
  if (r.exit_code != 0) return nullptr;
  return nlohmann::json::parse(r.out)["frontend"];
}

bool handshakes(std::uint16_t port) { return tls_connect("127.0.0.1", port, {}).handshake; }

// Front ends on one farm, each with its own root (stores, admin socket, local copy), sharing `port` by SO_REUSEPORT,
// so each is asked through its admin socket; each answers there before the next starts.
struct FrontEnds {
  std::vector<std::unique_ptr<Sslbind>> roots;
  std::vector<std::unique_ptr<ServeProcess>> processes;
};
FrontEnds start_front_ends(int count, std::uint16_t port) {
  FrontEnds out;
  for (int i = 0; i < count; ++i) {
    out.roots.push_back(std::make_unique<Sslbind>());
    out.processes.push_back(std::make_unique<ServeProcess>(SSLBIND_BINARY, out.roots.back()->root.path(), port,
                                                           std::vector<std::string>{"threads=1"}));
    REQUIRE(eventually([&] { return !frontend_of(*out.roots.back()).is_null(); }, 10000));
  }
  return out;
}

}  // namespace

TEST_SUITE("serve on etcd") {
  TEST_CASE("three front ends follow the farm, keep serving while etcd is away, and start from their local copy") {
    Etcd etcd;
    const StoreEnvironment environment(etcd.store());
    OnEtcd admin{Sslbind(), etcd.store()};
    const std::string thumbprint = test_certificate(0).thumbprint;
    const std::uint16_t first = free_port(), second = free_port();
    REQUIRE(admin(add_ip(first, thumbprint)).exit_code == 0);
    FrontEnds front_ends = start_front_ends(3, first);
    auto& roots = front_ends.roots;
    auto& fronts = front_ends.processes;
    for (const auto& root : roots) CHECK(frontend_of(*root)["store"]["connected"] == true);

    REQUIRE(admin(add_ip(second, thumbprint)).exit_code == 0);
    for (const auto& root : roots) {
      CHECK(eventually([&] { return frontend_of(*root)["bindings"] == 2; }, 3000));
    }
    CHECK(eventually([&] { return handshakes(second); }, 3000));
    // show farm: the three, each up to date with the last commit.
    auto farm = [&] { return nlohmann::json::parse(admin({"--json", "show", "farm"}).out)["farm"]; };
    CHECK(eventually(
        [&] {
          const auto f = farm();
          if (f["frontends"].size() != 3) return false;
          for (const auto& front : f["frontends"]) {
            if (front["lag"] != 0 || front["bindings"] != 2) return false;
          }
          return true;
        },
        5000));
    std::set<std::string> earlier;
    const auto first_farm = farm();  // held: a range-for over a temporary's member would dangle
    for (const auto& front : first_farm["frontends"]) earlier.insert(front["id"].get<std::string>());
    const auto listed = admin({"show", "farm"});
    CHECK(listed.out.find("(up to date)") != std::string::npos);

    // etcd goes away: every handshake still succeeds, and the front ends say they are cut off.
    etcd.stop();
    for (int i = 0; i < 20; ++i) {
      const auto started = std::chrono::steady_clock::now();
      const auto r = tls_connect("127.0.0.1", i % 2 == 0 ? first : second, {});
      INFO("handshake "
           << i << ": " << r.error << " after "
           << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
           << " ms");
      INFO("front ends' logs: " << fronts[0]->log() << fronts[1]->log() << fronts[2]->log());
      CHECK(r.handshake);
    }
    for (const auto& root : roots) {
      CHECK(eventually([&] { return frontend_of(*root)["store"]["connected"] == false; }, 5000));
    }
    // A front end started during the outage serves its local copy.
    for (auto& front : fronts) CHECK(front->stop() == 0);
    fronts.clear();
    ServeProcess restarted(SSLBIND_BINARY, roots[0]->root.path(), first, {"threads=1"});
    REQUIRE(restarted.ok());
    INFO("the restarted front end's log: " << restarted.log());
    CHECK(frontend_of(*roots[0])["bindings"] == 2);
    // ok() saw the first port listen; the second opens beside it (later, on a slow sanitizer build).
    CHECK(eventually([&] { return handshakes(second); }, 5000));
    CHECK(frontend_of(*roots[0])["store"]["servingLocalCopy"] == true);
    CHECK(eventually([&] { return restarted.log().find("serving the local copy of revision") != std::string::npos; },
                     3000));

    // etcd comes back: the front end lists it again and follows its changes.
    etcd.restart();
    REQUIRE(eventually([&] { return frontend_of(*roots[0])["store"]["connected"] == true; }, 10000));
    CHECK(frontend_of(*roots[0])["store"]["servingLocalCopy"] == false);
    // Nothing changed while etcd was away: the list after the local copy applied no key.
    const auto relisted = frontend_of(*roots[0])["store"]["lastList"];
    CHECK(relisted["onlyDifferences"] == true);
    CHECK(relisted["applied"] == 0);
    CHECK(relisted["keys"] >= 2);
    // The restarted front end publishes itself again (the stopped ones' leases lapse on their own).
    CHECK(eventually(
        [&] {
          const auto now = farm();
          for (const auto& front : now["frontends"]) {
            if (!earlier.contains(front["id"].get<std::string>())) {
              return front["lag"] == 0 && front["servingLocalCopy"] == false && front["connected"] == true;
            }
          }
          return false;
        },
        5000));
    REQUIRE(admin({"delete", "sslcert", "ipport=0.0.0.0:" + std::to_string(second)}).exit_code == 0);
    CHECK(eventually([&] { return frontend_of(*roots[0])["bindings"] == 1; }, 3000));

    // An etcd restored from an older state (here: an empty one) has a lower revision: the front end lists it again,
    // says so, and serves what it holds.
    etcd.stop();
    std::filesystem::remove_all(etcd.dir.path() / "data");
    etcd.restart();
    REQUIRE(eventually([&] { return admin(add_ip(second, thumbprint)).exit_code == 0; }, 10000));
    CHECK(eventually([&] { return frontend_of(*roots[0])["store"]["resyncs"] == 1; }, 5000));
    // the revision went back, or the cluster id; logged once the loop has applied the list, after the count
    CHECK(eventually([&] { return restarted.log().find("listed again") != std::string::npos; }, 3000));
    CHECK(frontend_of(*roots[0])["store"]["lastList"]["onlyDifferences"] == false);     // most keys differ: all decoded
    CHECK(eventually([&] { return handshakes(second) && !handshakes(first); }, 3000));  // what etcd holds now
    CHECK(restarted.stop() == 0);
  }
}

TEST_SUITE("serve on etcd") {
  // In the suite "runs alone" (tests/serial_tests.cmake): its clients and front ends keep both cores busy.
  TEST_CASE(
      "three front ends under a steady load while etcd is killed and restarted: no failed handshake, and they "
      "catch up" *
      doctest::test_suite("runs alone")) {
    Etcd etcd;
    const StoreEnvironment environment(etcd.store());
    OnEtcd admin{Sslbind(), etcd.store()};
    const std::string thumbprint = test_certificate(0).thumbprint;
    const std::uint16_t port = free_port(), added = free_port();
    REQUIRE(admin(add_ip(port, thumbprint)).exit_code == 0);
    FrontEnds front_ends = start_front_ends(3, port);
    auto& roots = front_ends.roots;
    auto& fronts = front_ends.processes;
    const auto all = [&](const std::function<bool(const nlohmann::json&)>& holds) {
      for (const auto& root : roots) {
        if (!holds(frontend_of(*root))) return false;
      }
      return true;
    };
    REQUIRE(eventually([&] { return all([](const auto& f) { return f["store"]["connected"] == true; }); }, 10000));
    // Two clients make handshakes back to back (SO_REUSEPORT spreads them over the front ends) until told to stop:
    // 60 s and 20,000 handshakes at most.
    std::atomic<bool> stop{false};
    std::atomic<int> made{0};
    std::mutex failures_mutex;
    std::vector<std::string> failures;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::vector<std::thread> clients;
    for (int c = 0; c < 2; ++c) {
      clients.emplace_back([&] {
        while (!stop && made < 20000 && std::chrono::steady_clock::now() < until) {
          const auto r = tls_connect("127.0.0.1", port, {});
          ++made;
          if (!r.handshake) {
            const std::lock_guard lock(failures_mutex);
            failures.push_back(r.error);
          }
        }
      });
    }
    const auto finish = [&] {
      stop = true;
      for (auto& t : clients) t.join();
      clients.clear();
    };
    CHECK(eventually([&] { return made > 50; }, 10000));
    etcd.kill();
    const int at_kill = made;
    CHECK(eventually([&] { return all([](const auto& f) { return f["store"]["connected"] == false; }); }, 10000));
    CHECK(eventually([&] { return made > at_kill + 50; }, 10000));  // served all along
    etcd.restart();
    CHECK(eventually([&] { return all([](const auto& f) { return f["store"]["connected"] == true; }); }, 15000));
    // They follow again: a change made now reaches both, while the load goes on.
    CHECK(eventually([&] { return admin(add_ip(added, thumbprint)).exit_code == 0; }, 10000));
    CHECK(eventually([&] { return all([](const auto& f) { return f["bindings"] == 2; }); }, 5000));
    CHECK(eventually([&] { return handshakes(added); }, 5000));
    finish();
    INFO("handshakes made: " << made.load() << "; failures: " << failures.size()
                             << (failures.empty() ? "" : ", first: ") << (failures.empty() ? "" : failures.front()));
    INFO("front ends' logs: " << fronts[0]->log() << fronts[1]->log() << fronts[2]->log());
    CHECK(failures.empty());
    CHECK(made > at_kill + 50);
    for (auto& front : fronts) CHECK(front->stop() == 0);
  }
}

TEST_SUITE("serve on etcd") {
  TEST_CASE(
      "a restarted front end serves its compiled local copy at once, lists the farm, and never maps a damaged one") {
    Etcd etcd;
    const StoreEnvironment environment(etcd.store());
    OnEtcd admin{Sslbind(), etcd.store()};
    const std::string thumbprint = test_certificate(0).thumbprint;
    const std::uint16_t first = free_port(), second = free_port();
    REQUIRE(admin(add_ip(first, thumbprint)).exit_code == 0);
    Sslbind root;
    const auto compiled = root.root.path() / "farm" / "web.idx";
    {
      ServeProcess front(SSLBIND_BINARY, root.root.path(), first, {"threads=1"});
      REQUIRE(front.ok());
      CHECK(eventually([&] { return std::filesystem::exists(compiled); }, 5000));
      // A change while it runs reaches the copy once the changes pause; one just before the stop, at the stop.
      const std::uint16_t third = free_port();
      REQUIRE(admin(add_ip(third, thumbprint)).exit_code == 0);
      CHECK(eventually(
          [&] {
            const auto store = frontend_of(root)["store"];
            return frontend_of(root)["bindings"] == 2 && store["localCopyRevision"] == store["revision"];
          },
          5000));
      REQUIRE(admin({"delete", "sslcert", "ipport=0.0.0.0:" + std::to_string(third)}).exit_code == 0);
      REQUIRE(eventually([&] { return frontend_of(root)["bindings"] == 1; }, 3000));
      CHECK(front.stop() == 0);
    }
    // A change while it is down: the restart serves the copy first, then the list applies that one key (the copy
    // saved at the stop already lacks the deleted one).
    REQUIRE(admin(add_ip(second, thumbprint)).exit_code == 0);
    {
      ServeProcess front(SSLBIND_BINARY, root.root.path(), first, {"threads=1"});
      REQUIRE(front.ok());
      // logged once it follows, just after its ports open
      CHECK(eventually([&] { return front.log().find("serving the local copy of revision") != std::string::npos; },
                       3000));
      CHECK(eventually([&] { return handshakes(second); }, 5000));
      const auto store = frontend_of(root)["store"];
      CHECK(store["servingCompiledCopy"] == false);
      CHECK(store["servingLocalCopy"] == false);
      CHECK(store["lastList"]["onlyDifferences"] == true);
      CHECK(store["lastList"]["applied"] == 1);
      CHECK(front.stop() == 0);
    }
    // While etcd is away it serves the compiled copy, and says so.
    etcd.stop();
    {
      ServeProcess front(SSLBIND_BINARY, root.root.path(), first, {"threads=1"});
      REQUIRE(front.ok());
      CHECK(eventually([&] { return handshakes(second); }, 5000));
      CHECK(frontend_of(root)["store"]["servingCompiledCopy"] == true);
      CHECK(frontend_of(root)["bindings"] == 2);
      CHECK(front.stop() == 0);
    }
    // A compiled copy damaged behind its header fails its checksum: the copy is read whole instead.
    std::string bytes = read_file(compiled);
    REQUIRE(bytes.size() > 200);
    bytes[bytes.size() - 100] = static_cast<char>(bytes[bytes.size() - 100] ^ 0x5a);
    write_file(compiled, bytes);
    {
      ServeProcess front(SSLBIND_BINARY, root.root.path(), first, {"threads=1"});
      REQUIRE(front.ok());
      CHECK(eventually([&] { return handshakes(second); }, 5000));
      const auto store = frontend_of(root)["store"];
      CHECK(store["servingCompiledCopy"] == false);
      CHECK(store["servingLocalCopy"] == true);
      CHECK(front.stop() == 0);
    }
  }

  TEST_CASE("etcd over TLS with users: commands and a front end authenticate, and again once etcd drops the token") {
    TempDir pki;
    const auto ca = pki.path() / "ca.pem", ca_key = pki.path() / "ca.key";
    const auto cert = pki.path() / "etcd.pem", key = pki.path() / "etcd.key";
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key.string(), "-out", ca.string(), "-subj",
             "/CN=etcd test CA", "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE"});
    write_file(pki.path() / "etcd.ext", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    openssl({"req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.string(), "-out",
             (pki.path() / "etcd.csr").string(), "-subj", "/CN=etcd"});
    openssl({"x509", "-req", "-in", (pki.path() / "etcd.csr").string(), "-CA", ca.string(), "-CAkey", ca_key.string(),
             "-CAcreateserial", "-out", cert.string(), "-days", "2", "-extfile", (pki.path() / "etcd.ext").string()});
    Etcd etcd({"--cert-file", cert.string(), "--key-file", key.string(), "--auth-token-ttl", "2"}, true);
    // Users on, through the gateway as an operator would with etcdctl: a root user with the root role.
    const std::string base = "https://127.0.0.1:" + std::to_string(etcd.client);
    for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
             {"/v3/auth/role/add", R"({"name":"root"})"},
             {"/v3/auth/user/add", R"({"name":"root","password":"farm-secret"})"},
             {"/v3/auth/user/grant", R"({"user":"root","role":"root"})"},
             {"/v3/auth/enable", "{}"}}) {
      const auto r = run_process({"/usr/bin/curl", "-sS", "--cacert", ca.string(), base + path, "-d", body});
      REQUIRE_MESSAGE(r.exit_code == 0, r.err);
      REQUIRE_MESSAGE(r.out.find("error") == std::string::npos, r.out);
    }
    write_file(pki.path() / "password", "farm-secret\n");
    write_file(pki.path() / "wrong", "not-it\n");
    const std::string store = etcd.store("web", "etcds");
    const std::string thumbprint = test_certificate(0).thumbprint;
    Sslbind admin;
    auto as = [&](std::vector<std::string> args, const std::vector<std::string>& env) {
      std::vector<std::string> argv{"/usr/bin/env"};
      argv.insert(argv.end(), env.begin(), env.end());
      argv.insert(argv.end(), {SSLBIND_BINARY, "--root", admin.root.str(), "--store=" + store});
      argv.insert(argv.end(), args.begin(), args.end());
      return run_process(argv);
    };
    const std::vector<std::string> good{"SSLBIND_ETCD_CACERT=" + ca.string(), "SSLBIND_ETCD_USER=root",
                                        "SSLBIND_ETCD_PASSWORD_FILE=" + (pki.path() / "password").string()};
    const std::uint16_t first = free_port(), second = free_port();
    const auto added = as(add_ip(first, thumbprint), good);
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);

    // Each way of getting it wrong is exit 3 (or 2 for a bad setting) with one line naming the cause.
    auto wrong = good;
    wrong[2] = "SSLBIND_ETCD_PASSWORD_FILE=" + (pki.path() / "wrong").string();
    const auto refused = as({"show", "sslcert"}, wrong);
    CHECK(refused.exit_code == 3);
    CHECK(refused.err.find("etcd refused the user root") != std::string::npos);
    const auto untrusted = as({"show", "sslcert"}, {"SSLBIND_ETCD_USER=root", "SSLBIND_ETCD_PASSWORD_FILE=" +
                                                                                  (pki.path() / "password").string()});
    CHECK(untrusted.exit_code == 3);
    CHECK(untrusted.err.find("certificate is not trusted") != std::string::npos);
    const auto anonymous = as({"show", "sslcert"}, {"SSLBIND_ETCD_CACERT=" + ca.string()});
    CHECK(anonymous.exit_code == 3);
    const auto no_password = as({"show", "sslcert"}, {"SSLBIND_ETCD_CACERT=" + ca.string(), "SSLBIND_ETCD_USER=root"});
    CHECK(no_password.exit_code == 2);
    CHECK(no_password.err.find("SSLBIND_ETCD_PASSWORD_FILE") != std::string::npos);

    // A front end follows it; tokens last 2 s here, so everything after the wait runs on fresh ones.
    const StoreEnvironment environment(store, {{"SSLBIND_ETCD_CACERT", ca.string()},
                                               {"SSLBIND_ETCD_USER", "root"},
                                               {"SSLBIND_ETCD_PASSWORD_FILE", (pki.path() / "password").string()}});
    Sslbind front;
    ServeProcess served(SSLBIND_BINARY, front.root.path(), first, {"threads=1"});
    REQUIRE(served.ok());
    CHECK(handshakes(first));
    std::this_thread::sleep_for(std::chrono::seconds(4));
    REQUIRE(as(add_ip(second, thumbprint), good).exit_code == 0);
    CHECK(eventually([&] { return handshakes(second); }, 5000));
    CHECK(eventually(
        [&] {
          const auto farm = nlohmann::json::parse(as({"--json", "show", "farm"}, good).out)["farm"];
          return farm["frontends"].size() == 1 && farm["frontends"][0]["lag"] == 0 &&
                 farm["frontends"][0]["lastContactSecondsAgo"] <= 3;
        },
        8000));
    // A restarted etcd has forgotten every token: the front end's watch and its presence authenticate again.
    etcd.stop();
    etcd.restart();
    REQUIRE(eventually([&] { return as({"show", "sslcert"}, good).exit_code == 0; }, 10000));
    REQUIRE(as({"delete", "sslcert", "ipport=0.0.0.0:" + std::to_string(second)}, good).exit_code == 0);
    CHECK(eventually([&] { return !handshakes(second); }, 8000));
    CHECK(eventually(
        [&] {
          const auto farm = nlohmann::json::parse(as({"--json", "show", "farm"}, good).out)["farm"];
          return farm["frontends"].size() == 1 && farm["frontends"][0]["lag"] == 0;
        },
        8000));
    CHECK(served.stop() == 0);
  }
}

TEST_SUITE("serve on etcd") {
  TEST_CASE("a ticket issued by one front end resumes on another of the farm, on the same binding only") {
    Etcd etcd;
    const StoreEnvironment environment(etcd.store());
    Sslbind a, b;
    TempDir files;
    // The farm key first: the ticket keys in etcd are sealed with it.
    const auto farm_key = files.path() / "farm.key";
    REQUIRE(a({"export", "farmkey", "file=" + farm_key.string()}).exit_code == 0);
    REQUIRE(b({"import", "farmkey", "file=" + farm_key.string()}).exit_code == 0);
    const std::string thumbprint = test_certificate(0).thumbprint;
    const std::uint16_t port = free_port(), other = free_port();
    for (const std::uint16_t p : {port, other}) {
      auto args = add_ip(p, thumbprint);
      args.push_back("enablesessionticket=enable");
      REQUIRE(a(args).exit_code == 0);
    }
    auto keys_of = [](const Sslbind& root) {
      const auto f = frontend_of(root);
      return f.is_null() ? 0 : f["store"]["ticketKeys"].get<int>();
    };
    Session ticket;
    {
      ServeProcess first(SSLBIND_BINARY, a.root.path(), port, {"threads=1"});
      REQUIRE(first.ok());
      REQUIRE(eventually([&] { return keys_of(a) == 1; }, 5000));
      TlsOptions options;
      options.request = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      auto issued = tls_connect("127.0.0.1", port, options);
      REQUIRE(issued.handshake);
      REQUIRE(issued.session != nullptr);
      ticket = std::move(issued.session);
      CHECK(first.stop() == 0);
    }
    ServeProcess second(SSLBIND_BINARY, b.root.path(), port, {"threads=1"});
    REQUIRE(second.ok());
    REQUIRE(eventually([&] { return keys_of(b) == 1; }, 5000));
    TlsOptions again;
    again.resume = ticket.get();
    CHECK(tls_connect("127.0.0.1", port, again).resumed);
    CHECK_FALSE(tls_connect("127.0.0.1", other, again).resumed);  // another binding: a full handshake
    CHECK(second.stop() == 0);
  }
}
