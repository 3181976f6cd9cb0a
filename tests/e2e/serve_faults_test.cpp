// serve and the CLI under faults a careless operator or a hostile local user makes: a FIFO or a huge file where
// registry.json should be, registry.idx truncated or rewritten under a running serve.
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "tests/e2e/front_end.hpp"
#include "tests/support/process.hpp"
#include "tests/support/tls_client.hpp"

using namespace sslbind::test;

namespace {

// Puts a FIFO (or a sparse file of `size` bytes) in place of `file` by rename, as a hostile user or a tool would.
void replace_with_fifo(const std::filesystem::path& file) {
  const auto tmp = file.parent_path() / "fifo.tmp";
  REQUIRE(::mkfifo(tmp.c_str(), 0600) == 0);
  std::filesystem::rename(tmp, file);
}
void replace_with_sparse(const std::filesystem::path& file, std::uintmax_t size) {
  const auto tmp = file.parent_path() / "sparse.tmp";
  { std::ofstream(tmp.string()).put('{'); }
  std::filesystem::permissions(tmp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::resize_file(tmp, size);
  std::filesystem::rename(tmp, file);
}

// The thumbprint a client receives for `sni` ("" when the handshake fails).
std::string handshake(std::uint16_t port, std::optional<std::string> sni) {
  TlsOptions options;
  options.sni = std::move(sni);
  return tls_connect("127.0.0.1", port, options).thumbprint;
}

// A client of the admin socket that connects and sends nothing (-1 if it could not connect).
int idle_admin_client(const std::filesystem::path& socket_path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Whether the peer closed the connection within `ms`.
bool closed_within(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  char byte = 0;
  return ::poll(&p, 1, ms) == 1 && ::recv(fd, &byte, 1, 0) <= 0;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_SUITE("serve: faults") {
  TEST_CASE("a FIFO or a 2 GB sparse registry.json is refused at once by show, add and serve's reload") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string thumbprint = fe.import("a.test");
    fe.bind("ipport=127.0.0.1:" + std::to_string(port), thumbprint);
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    const auto registry = fe.sslbind.root.path() / "registry.json";
    int reloads = 0;
    for (const bool fifo : {true, false}) {
      CAPTURE(fifo);
      if (fifo) {
        replace_with_fifo(registry);
      } else {
        replace_with_sparse(registry, std::uintmax_t{2} << 30);
      }
      const std::string rule = fifo ? "is not a regular file" : "is larger than the 268435456 bytes";
      for (const std::vector<std::string>& command :
           {std::vector<std::string>{"show", "sslcert"},
            std::vector<std::string>{"add", "sslcert", "ipport=127.0.0.1:1", "certhash=" + thumbprint,
                                     "appid=" + kAppId}}) {
        const auto start = std::chrono::steady_clock::now();
        const auto r = fe.sslbind(command);
        CHECK(seconds_since(start) < 1.0);
        CHECK(r.exit_code != 0);
        CHECK(r.err.find("registry.json") != std::string::npos);
        CHECK(r.err.find(rule) != std::string::npos);
      }
      // serve saw the change, refused it, keeps serving its last snapshot, and its control thread still answers.
      ++reloads;
      CHECK(eventually([&] { return fe.status()["reloadFailures"].get<int>() >= reloads; }, 3000));
      CHECK(handshake(port, std::nullopt) == thumbprint);
    }
    CHECK(server.log().find("is not a regular file") != std::string::npos);
    CHECK(server.stop() == 0);
  }

  TEST_CASE("registry.idx truncated or rewritten in place while serving: handshakes go on") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string a = fe.import("a.test");
    const std::string b = fe.import("b.test");
    fe.bind("hostnameport=a.test:" + std::to_string(port), a);
    fe.bind("hostnameport=b.test:" + std::to_string(port), b);
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    CHECK(handshake(port, "a.test") == a);
    const auto idx = fe.sslbind.root.path() / "registry.idx";
    REQUIRE(std::filesystem::exists(idx));
    const auto size = std::filesystem::file_size(idx);
    { std::ofstream truncate(idx.string(), std::ios::trunc); }  // `: > registry.idx`
    for (int i = 0; i < 5; ++i) {
      CHECK(handshake(port, "b.test") == b);
      CHECK(handshake(port, "a.test") == a);
    }
    {
      std::fstream rewrite(idx.string(), std::ios::in | std::ios::out | std::ios::binary);
      const std::string junk(size, 'x');
      rewrite.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    for (int i = 0; i < 5; ++i) CHECK(handshake(port, "b.test") == b);
    // A commit writes it anew and serve takes it; the damaged one was never mapped.
    fe.bind("hostnameport=c.test:" + std::to_string(port), fe.import("c.test"));
    CHECK(eventually([&] { return !handshake(port, "c.test").empty(); }, 3000));
    CHECK(handshake(port, "a.test") == a);
    CHECK(server.stop() == 0);
  }

  TEST_CASE("admin= removes only a socket, idle admin clients are dropped at the cap and after the deadline") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    fe.bind("ipport=127.0.0.1:" + std::to_string(port), fe.import("a.test"));
    const auto registry = fe.sslbind.root.path() / "registry.json";
    const std::string before = read_file(registry);
    const auto refused = run_process({SSLBIND_BINARY, "--root", fe.sslbind.root.path().string(), "serve",
                                      "admin=" + registry.string(), "threads=1"});
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("is not a socket") != std::string::npos);
    CHECK(read_file(registry) == before);

    auto server = fe.serve(port);
    REQUIRE(server.ok());
    const auto socket_path = fe.sslbind.root.path() / "admin.sock";
    std::vector<int> idle;
    for (int i = 0; i < 80; ++i) idle.push_back(idle_admin_client(socket_path));
    // Past the cap of 64, a client is closed at once; the others within the 5 s read deadline.
    int at_once = 0;
    for (int i = 64; i < 80; ++i) at_once += closed_within(idle[static_cast<std::size_t>(i)], 1000) ? 1 : 0;
    CHECK(at_once == 16);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 64; ++i) CHECK(closed_within(idle[static_cast<std::size_t>(i)], 7000));
    CHECK(seconds_since(start) < 7.0);
    for (const int fd : idle) ::close(fd);
    const auto status = fe.status();
    CHECK(status["adminDropped"].get<int>() == 80);
    CHECK(server.stop() == 0);
    CHECK_FALSE(std::filesystem::exists(socket_path));  // its own socket, removed at the end
  }

  TEST_CASE("a trailing dot in SNI gets what the name without it gets, and resolve agrees") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string www = fe.import("www.contoso.com");
    const std::string fallback = fe.import("fallback.test");
    fe.bind("hostnameport=www.contoso.com:" + std::to_string(port), www);
    fe.bind("ipport=0.0.0.0:" + std::to_string(port), fallback);
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    CHECK(handshake(port, "www.contoso.com") == www);
    CHECK(handshake(port, "www.contoso.com.") == www);
    CHECK(handshake(port, "WWW.Contoso.COM.") == www);
    CHECK(handshake(port, "other.test.") == fallback);
    const std::string ipport = "ipport=127.0.0.1:" + std::to_string(port);
    for (const std::string name : {"www.contoso.com.", "www.contoso.com"}) {
      CAPTURE(name);
      const auto doc = nlohmann::json::parse(fe.sslbind({"--json", "resolve", ipport, "hostname=" + name}).out);
      CHECK(doc["certificate"]["certhash"] == www);
    }
    // "." alone, or two dots at the end, name nothing: the handshake fails as for any malformed server_name.
    CHECK(handshake(port, "www.contoso.com..").empty());
    CHECK(server.stop() == 0);
  }

  TEST_CASE("descriptors exhausted: 1,000 clients at a 256-descriptor limit are counted and logged once") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    fe.bind("ipport=127.0.0.1:" + std::to_string(port), fe.import("a.test"));
    auto server = fe.serve(port, {"threads=1"});
    REQUIRE(server.ok());
    // serve raised its own limit at start, as systemd's LimitNOFILE would have it; lower it under it.
    REQUIRE(run_process({"/usr/bin/prlimit", "--pid", std::to_string(server.pid()), "--nofile=256:256"}).exit_code ==
            0);
    rlimit own{};  // the test's own 1,000 clients need descriptors too
    if (::getrlimit(RLIMIT_NOFILE, &own) == 0 && own.rlim_cur < 2048 && own.rlim_max > own.rlim_cur) {
      own.rlim_cur = std::min<rlim_t>(own.rlim_max, 4096);
      ::setrlimit(RLIMIT_NOFILE, &own);
    }
    std::vector<int> clients;
    for (int i = 0; i < 1000; ++i) {
      const int fd = tcp_connect("127.0.0.1", port);
      if (fd >= 0) clients.push_back(fd);
    }
    // Accept keeps failing while the clients hold every descriptor (retried every 100 ms, never spun on).
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    for (const int fd : clients) ::close(fd);
    CHECK(clients.size() > 256);
    nlohmann::json status;
    REQUIRE(eventually(
        [&] {
          const auto r = fe.sslbind({"--json", "show", "frontend"});
          if (r.exit_code != 0) return false;
          status = nlohmann::json::parse(r.out)["frontend"];
          return true;
        },
        5000));
    CHECK(status["connections"]["failures"]["descriptorsExhausted"].get<int>() >= 1);
    const std::string log = server.log();
    std::size_t lines = 0;
    for (auto at = log.find("no file descriptor left"); at != std::string::npos;
         at = log.find("no file descriptor left", at + 1)) {
      ++lines;
    }
    CHECK(lines == 1);  // one burst, one line
    // Served again once the descriptors came back.
    CHECK(eventually([&] { return !handshake(port, std::nullopt).empty(); }, 3000));
    CHECK(server.stop() == 0);
  }

  TEST_CASE("FIFOs swapped into the CCS folder: cold CCS and store names are still served, SIGTERM stops serve") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    fe.ccs_file("a.test.pfx", "a.test");
    fe.ccs_file("b.test.pfx", "b.test");
    const std::string c = fe.ccs_file("c.test.pfx", "c.test");
    REQUIRE(fe.sslbind({"add", "ccs", "location=" + fe.ccs.string()}).exit_code == 0);
    fe.bind("ccs=" + std::to_string(port), "");
    const std::string store = fe.import("store.test");
    fe.bind("hostnameport=store.test:" + std::to_string(port), store);
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    REQUIRE(eventually([&] { return fe.status()["ccs"]["listed"] == true; }, 5000));
    // The folder's owner swaps FIFOs in for two listed files, and clients ask for those names.
    for (const char* name : {"a.test.pfx", "b.test.pfx"}) replace_with_fifo(fe.ccs / name);
    const auto start = std::chrono::steady_clock::now();
    CHECK(handshake(port, "a.test").empty());
    CHECK(handshake(port, "b.test").empty());
    CHECK(seconds_since(start) < 2.0);  // refused at the open, not hung in it
    CHECK(handshake(port, "c.test") == c);
    CHECK(handshake(port, "store.test") == store);
    bool refused_as_fifo = false;
    const nlohmann::json cache = fe.status()["cache"];
    for (const auto& entry : cache["certificates"]) {
      refused_as_fifo = refused_as_fifo || entry.value("error", "").find("is not a regular file") != std::string::npos;
    }
    // The two loads failed; their negative entries say why, unless the folder's re-listing (inotify saw the swap)
    // has dropped them meanwhile.
    CHECK(cache["loadFailures"].get<int>() >= 2);
    CHECK_MESSAGE((refused_as_fifo || cache["entries"].get<int>() == 2), cache.dump());
    const auto stopping = std::chrono::steady_clock::now();
    CHECK(server.stop() == 0);
    CHECK(seconds_since(stopping) < 11.0);
  }

  // In the suite "runs alone" (tests/serial_tests.cmake): it keeps every core busy for a few seconds.
  TEST_CASE("every core kept busy by others: a cold CCS name is still served within the load's deadline" *
            doctest::test_suite("runs alone")) {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string cold = fe.ccs_file("cold.test.pfx", "cold.test");
    REQUIRE(fe.sslbind({"add", "ccs", "location=" + fe.ccs.string()}).exit_code == 0);
    fe.bind("ccs=" + std::to_string(port), "");
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    REQUIRE(eventually([&] { return fe.status()["ccs"]["listed"] == true; }, 5000));
    // Busy neighbours at normal priority, four per core (as 8 sanitizer-built processes on a 2-core CI machine), 20 s
    // at most: while they spin, a loader (niceness 19) gets about a three-hundredth of a core, and the rescuer
    // (niceness 10) a fortieth. With loaders at SCHED_IDLE this handshake failed at the 5 s deadline, or took seconds
    // more behind a starved loader holding an OpenSSL lock.
    std::atomic<bool> stop{false};
    std::vector<std::thread> busy;
    const auto spin_until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (unsigned i = 0; i < 4 * std::max(1u, std::thread::hardware_concurrency()); ++i) {
      busy.emplace_back([&] {
        while (!stop && std::chrono::steady_clock::now() < spin_until) {
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // every one of them spinning
    const auto start = std::chrono::steady_clock::now();
    const std::string got = handshake(port, "cold.test");
    const double took = seconds_since(start);
    stop = true;
    for (auto& t : busy) t.join();
    const nlohmann::json cache = fe.status()["cache"];
    INFO("cache: " << cache.dump() << ", the handshake took " << took << " s; serve's log: " << server.log());
    CHECK(got == cold);
    CHECK(took < 5.0);  // the load's deadline
    CHECK(cache["abandoned"].get<int>() == 0);
    CHECK(server.stop() == 0);
  }

  TEST_CASE("a CCS listing past ccslistingtimeout=: other names fall through to 0.0.0.0 within the deadline plus 1 s") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string a = fe.ccs_file("a.test.pfx", "a.test");
    const std::string wild = fe.ccs_file("_.wild.test.pfx", "*.wild.test");
    REQUIRE(fe.sslbind({"add", "ccs", "location=" + fe.ccs.string()}).exit_code == 0);
    fe.bind("ccs=" + std::to_string(port), "");
    const std::string fallback = fe.import("fallback.test");
    fe.bind("ipport=0.0.0.0:" + std::to_string(port), fallback);
    // The first listing takes 4 s, as a slow share would make it; handshakes wait for it at most 1 s.
    ::setenv("SSLBIND_TEST_CCS_LISTING_DELAY_MS", "4000", 1);
    auto server = fe.serve(port, {"ccslistingtimeout=1"});
    ::unsetenv("SSLBIND_TEST_CCS_LISTING_DELAY_MS");
    REQUIRE(server.ok());
    const auto start = std::chrono::steady_clock::now();
    CHECK(handshake(port, "other.test") == fallback);
    CHECK(seconds_since(start) < 2.0);
    CHECK(handshake(port, "a.test") == a);              // its lower-case file, read directly
    CHECK(handshake(port, "x.wild.test") == fallback);  // wildcard files serve once the listing ends
    const auto status = fe.status();
    CHECK(status["ccs"]["listingOverdue"] == true);
    CHECK(status["ccs"]["listingDeadlines"] == 1);
    CHECK(server.log().find("not listed within 1 s") != std::string::npos);
    CHECK(eventually([&] { return fe.status()["ccs"]["listed"] == true; }, 8000));
    CHECK(handshake(port, "x.wild.test") == wild);
    CHECK(fe.status()["ccs"]["listingOverdue"] == false);
    CHECK(server.stop() == 0);
  }
}
