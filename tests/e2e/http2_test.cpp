// sslbind serve speaking HTTP/2 to clients (RFC 9113) and HTTP/1.1 to the web farm, with real clients on loopback:
// curl, h2load, and tests/support/h2_probe.py (python3-h2's frame and HPACK libraries) where a client must
// misbehave.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "tests/e2e/front_end.hpp"
#include "tests/support/http_backend.hpp"
#include "tests/support/process.hpp"
#include "tests/support/process_usage.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tls_client.hpp"

using namespace sslbind::test;

namespace {

// A front end with one SNI binding, h2.test:<port>, and a farm "www" of one in-process web worker for every host.
struct Http2Proxy {
  HttpBackend backend;
  FrontEnd fe;
  std::uint16_t port = free_port();
  std::string thumbprint = fe.import("h2.test");
  std::optional<ServeProcess> server;

  Http2Proxy() {
    fe.bind("hostnameport=h2.test:" + std::to_string(port), thumbprint);
    REQUIRE(fe.sslbind({"add", "webfarm", "name=www", "server=" + backend.address()}).exit_code == 0);
    REQUIRE(fe.sslbind({"add", "route", "host=*", "webfarm=www"}).exit_code == 0);
  }
  void start(std::vector<std::string> args = {}) {
    server.emplace(SSLBIND_BINARY, fe.sslbind.root.path(), port, fe.serve_arguments(std::move(args)));
    REQUIRE(server->ok());
  }
  std::string url(const std::string& path) const { return "https://h2.test:" + std::to_string(port) + path; }
  std::string resolve() const { return "h2.test:" + std::to_string(port) + ":127.0.0.1"; }
  // curl over HTTP/2 (or what ALPN agrees): the body, then a line with the protocol and status.
  ProcessResult curl(const std::string& path, std::vector<std::string> extra = {}) const {
    std::vector<std::string> argv{"/usr/bin/curl", "-sk", "--http2",
                                  "--max-time",    "60",  "--resolve",
                                  resolve(),       "-w",  "\n%{http_version} %{http_code}"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(url(path));
    return run_process(argv);
  }
  nlohmann::json probe(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{"/usr/bin/python3", std::string(SSLBIND_SOURCE_DIR) + "/tests/support/h2_probe.py",
                                  std::to_string(port), "h2.test"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = run_process(argv);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  }
};

std::string last_line(const std::string& out) { return out.substr(out.rfind('\n') + 1); }

}  // namespace

TEST_SUITE("serve: HTTP/2") {
  TEST_CASE("ALPN agrees on h2 where requests go to web farms, on http/1.1 where the binding says disablehttp2") {
    Http2Proxy proxy;
    proxy.start();
    TlsOptions options{"h2.test", nullptr, 0, ""};
    CHECK(tls_connect("127.0.0.1", proxy.port, options, {"h2", "http/1.1"}).alpn == "h2");
    CHECK(tls_connect("127.0.0.1", proxy.port, options, {"http/1.1"}).alpn == "http/1.1");
    const auto got =
        proxy.curl("/echo?q=1", {"-H", "X-Forwarded-For: 6.6.6.6", "-H", "Cookie: a=1", "-H", "Cookie: b=2"});
    CHECK(last_line(got.out) == "2 200");
    // The web worker sees an HTTP/1.1 request as ARR sends it: Host from :authority, the forwarding fields its own,
    // the cookie crumbs joined (RFC 9113, 8.2.3).
    const std::string seen = got.out;
    CHECK(seen.starts_with("GET /echo?q=1 HTTP/1.1\r\nHost: h2.test:" + std::to_string(proxy.port) + "\r\n"));
    CHECK(seen.find("\r\nX-Forwarded-For: 127.0.0.1\r\n") != std::string::npos);
    CHECK(seen.find("\r\nX-Forwarded-Proto: https\r\n") != std::string::npos);
    CHECK(seen.find("6.6.6.6") == std::string::npos);
    CHECK(seen.find("cookie: a=1; b=2\r\n") != std::string::npos);
    // disablehttp2 on the binding: the next handshake offers http/1.1 only.
    REQUIRE(proxy.fe
                .sslbind({"update", "sslcert", "hostnameport=h2.test:" + std::to_string(proxy.port), "appid=" + kAppId,
                          "certhash=" + proxy.thumbprint, "certstorename=MY", "disablehttp2=enable"})
                .exit_code == 0);
    CHECK(eventually(
        [&] {
          return tls_connect("127.0.0.1", proxy.port, options, {"h2", "http/1.1"}).alpn == "http/1.1";
        },
        3000));
    CHECK(last_line(proxy.curl("/echo").out) == "1.1 200");
    CHECK(proxy.server->stop() == 0);
  }

  TEST_CASE("100 concurrent streams on one connection reach the web worker as 100 requests") {
    Http2Proxy proxy;
    proxy.start({"threads=1"});
    const auto result = proxy.probe({"requests", "100"});
    CHECK(result["responses"].size() == 100);
    for (const auto& [stream, status] : result["responses"].items()) CHECK(status == 200);
    CHECK(result["resets"].empty());
    CHECK(result["goaway"].is_null());
    const auto requests = proxy.backend.requests();
    REQUIRE(requests.size() == 100);
    std::set<std::string> targets;
    for (const auto& r : requests) {
      targets.insert(r.head.substr(0, r.head.find("\r\n")));
      CHECK(r.head.find("\r\nX-Forwarded-Proto: https\r\n") != std::string::npos);
    }
    CHECK(targets.size() == 100);  // each stream its own request
    // h2load, the load generator of nghttp2: many streams on a few connections, every one answered.
    const auto load = run_process({"/usr/bin/h2load", "-n", "1000", "-c", "2", "-m", "100",
                                   "--connect-to=127.0.0.1:" + std::to_string(proxy.port), proxy.url("/echo")});
    INFO(load.out);
    CHECK(load.out.find("1000 succeeded, 0 failed") != std::string::npos);
    CHECK(load.out.find("1000 2xx") != std::string::npos);
    CHECK(proxy.server->stop() == 0);
  }

  TEST_CASE("each malformed request form of RFC 9113 8.2 is refused, and none reaches the web worker") {
    Http2Proxy proxy;
    proxy.start();
    const auto result = proxy.probe({"malformed"});
    for (const auto& item : result["forms"].items()) {
      const std::string stream = item.key();
      const std::string form = item.value();  // clang 14 cannot CAPTURE a structured binding
      CAPTURE(form);
      const bool reset = result["resets"].contains(stream) && result["resets"][stream] == 1;  // PROTOCOL_ERROR
      const bool refused = result["responses"].contains(stream) && result["responses"][stream].get<int>() >= 400;
      CHECK((reset || refused));
    }
    CHECK(result["forms"].size() == 20);
    CHECK(proxy.backend.requests().empty());
    // The connection itself lives on: twenty errors are within a client's budget.
    CHECK(result["goaway"].is_null());
    CHECK(proxy.server->stop() == 0);
  }

  TEST_CASE("floods end the attacker's connection with GOAWAY while another client is served, and the CPU rests") {
    Http2Proxy proxy;
    // HTTP.SYS's PropertyId 1: at most 7 settings a frame and 20 a minute.
    REQUIRE(proxy.fe
                .sslbind({"update", "sslpropertyex", "hostnameport=h2.test:" + std::to_string(proxy.port),
                          "propertyid=1", "maxsettingsperframe=7", "maxsettingsperminute=20"})
                .exit_code == 0);
    proxy.start();
    const std::vector<std::vector<std::string>> attacks{
        {"rapid-reset", "3000"},    // CVE-2023-44487
        {"continuation", "100"},    // CVE-2024-28182
        {"made-you-reset", "300"},  // CVE-2025-8671: resets the server is made to send
        {"settings", "1", "8"},     // more settings in one frame than PropertyId 1 allows
        {"settings", "5", "6"},     // more within a minute
    };
    for (const auto& attack : attacks) {
      CAPTURE(attack[0]);
      CAPTURE(attack.back());
      const auto result = proxy.probe(attack);
      CHECK(result["goaway"] == 11);  // ENHANCE_YOUR_CALM
      CHECK(result["closed"] == true);
      CHECK(last_line(proxy.curl("/echo").out) == "2 200");
    }
    const auto status = proxy.fe.status();
    CHECK(status["connections"]["http2"]["floodCloses"].get<int>() >= 5);
    // Nothing goes on spinning once the attackers are gone: within a second serve is back to idle.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const double before = cpu_seconds(proxy.server->pid());
    std::this_thread::sleep_for(std::chrono::seconds(1));
    CHECK(cpu_seconds(proxy.server->pid()) - before <= 0.05);  // at most 50 ms of CPU in that second
    CHECK(proxy.server->stop() == 0);
  }

  TEST_CASE("a header block that trickles in is cut at the head's deadline, however often its pieces come") {
    Http2Proxy proxy;
    proxy.start({"handshaketimeout=2"});                     // the time a request head has, HTTP/1.1's and HTTP/2's
    const auto result = proxy.probe({"slow-headers", "7"});  // a piece every 0.7 s: 4.9 s in all
    CHECK(result["closed"] == true);
    CHECK(result["closed_after"].get<double>() >= 1.0);
    CHECK(result["closed_after"].get<double>() < 4.0);
    CHECK(last_line(proxy.curl("/echo").out) == "2 200");
    CHECK(proxy.server->stop() == 0);
  }

  TEST_CASE("100 MB up and down through HTTP/2 in bounded memory, the upload paced by the web worker") {
    Http2Proxy proxy;
    proxy.start({"threads=1"});
    TempDir dir;
    const std::uint64_t size = (kAddressSanitizer ? std::uint64_t{16} : std::uint64_t{100}) << 20;
    std::string body;
    body.reserve(size);
    for (std::uint64_t i = 0; i < size; ++i) body += HttpBackend::pattern(i * 7);
    write_file(dir.path() / "body", body);
    const auto up = proxy.curl("/body", {"--data-binary", "@" + (dir.path() / "body").string()});
    CHECK(up.out == std::to_string(size) + " " + std::to_string(HttpBackend::checksum(body)) + "\n2 200");
    for (const char* path : {"/big?n=", "/chunked?n="}) {
      CAPTURE(path);
      const auto down = proxy.curl(path + std::to_string(size), {"-o", (dir.path() / "got").string()});
      CHECK(down.out == "\n2 200");
      const std::string got = read_file(dir.path() / "got");
      REQUIRE(got.size() == size);
      bool same = true;
      for (std::uint64_t i = 0; i < size && same; ++i) same = got[i] == HttpBackend::pattern(i);
      CHECK(same);
    }
    const long peak = peak_rss_kib(proxy.server->pid());
    MESSAGE("serve's peak RSS: " << peak << " KiB");
    if (!kAddressSanitizer) CHECK(peak < 64 * 1024);
    CHECK(proxy.server->stop() == 0);
  }

  TEST_CASE("1xx heads are forwarded, a chunked body is unchunked and its trailer fields follow as HEADERS") {
    Http2Proxy proxy;
    proxy.start();
    const auto result = proxy.probe({"get", "/trailers"});
    CHECK(result["interim"]["1"] == nlohmann::json::array({103}));
    CHECK(result["responses"]["1"] == 200);
    CHECK(result["bytes"]["1"] == "hello");
    CHECK(result["trailers"]["1"]["grpc-status"] == "0");
    CHECK(result["trailers"]["1"]["x-checksum"] == "abc");
    CHECK(proxy.server->stop() == 0);
  }

  TEST_CASE("a request's trailer fields follow its chunked body to the web worker, framing ones never") {
    Http2Proxy proxy;
    proxy.start();
    const auto result = proxy.probe({"post-trailers"});
    REQUIRE(result.contains("bytes"));
    CHECK(result["responses"]["1"] == 200);
    CHECK(result["bytes"]["1"] == "3 " + std::to_string(HttpBackend::checksum("abc")));
    const auto requests = proxy.backend.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].head.find("\r\nTransfer-Encoding: chunked") != std::string::npos);
    CHECK(requests[0].trailers == "x-checksum: 1234\r\n");  // a forwarding field and credentials dropped
    CHECK(proxy.server->stop() == 0);
  }

  TEST_CASE("PropertyId 0 sets the windows the client is told, and a bigger body waits for the web worker") {
    Http2Proxy proxy;
    REQUIRE(proxy.fe
                .sslbind({"update", "sslpropertyex", "hostnameport=h2.test:" + std::to_string(proxy.port),
                          "propertyid=0", "receivewindow=65535"})
                .exit_code == 0);
    proxy.start();
    const auto result = proxy.probe({"get", "/echo"});
    CHECK(result["settings"]["4"] == 65535);  // SETTINGS_INITIAL_WINDOW_SIZE
    CHECK(result["responses"]["1"] == 200);
    // A body fifteen times the window passes: each part is acknowledged once the web worker has taken it.
    TempDir dir;
    const std::string body(1'000'000, 'w');
    write_file(dir.path() / "body", body);
    const auto up = proxy.curl("/body", {"--data-binary", "@" + (dir.path() / "body").string()});
    CHECK(up.out == std::to_string(body.size()) + " " + std::to_string(HttpBackend::checksum(body)) + "\n2 200");
    CHECK(proxy.server->stop() == 0);
  }

  TEST_CASE("a client reset of a request under way closes its web worker connection rather than pooling it") {
    Http2Proxy proxy;
    proxy.start({"threads=1"});
    const auto result = proxy.probe({"reset-slow"});
    CHECK(result["responses"]["3"] == 200);
    const auto requests = proxy.backend.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].head.starts_with("GET /slow"));
    CHECK(requests[1].head.starts_with("GET /echo"));
    CHECK(requests[1].connection != requests[0].connection);  // the reset request's connection was not reused
    CHECK(proxy.fe.status()["webWorkers"][proxy.backend.address()]["inFlight"] == 0);
    CHECK(proxy.server->stop() == 0);
  }

  TEST_CASE("a WebSocket over HTTP/2 (RFC 8441) reaches the web worker as an HTTP/1.1 upgrade and echoes") {
    Http2Proxy proxy;
    proxy.start();
    const auto result = proxy.probe({"websocket", "hello over h2"});
    CHECK(result["settings"]["8"] == 1);  // SETTINGS_ENABLE_CONNECT_PROTOCOL
    CHECK(result["responses"]["1"] == 200);
    CHECK(result["echo"] == "hello over h2");
    const auto requests = proxy.backend.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].head.starts_with("GET /ws HTTP/1.1\r\n"));
    CHECK(requests[0].head.find("\r\nUpgrade: websocket\r\n") != std::string::npos);
    CHECK(requests[0].head.find("\r\nsec-websocket-key: ") != std::string::npos);
    CHECK(proxy.server->stop() == 0);
  }

  TEST_CASE("SIGTERM sends GOAWAY and the streams under way complete") {
    Http2Proxy proxy;
    TempDir logs;
    proxy.start({"accesslog=" + (logs.path() / "access.log").string(), "accesslogformat=json"});
    ProcessResult slow;
    std::thread client([&] { slow = proxy.curl("/slow?ms=1500"); });
    REQUIRE(eventually([&] { return proxy.backend.requests().size() == 1; }, 5000));
    CHECK(proxy.server->stop() == 0);
    client.join();
    CHECK(last_line(slow.out) == "2 200");
    const std::string log = read_file(logs.path() / "access.log");
    const auto line = nlohmann::json::parse(log.substr(0, log.find('\n')));
    CHECK(line["protocol"] == "HTTP/2");
    CHECK(line["path"] == "/slow?ms=1500");
    CHECK(line["status"] == 200);
  }

  TEST_CASE("headless Chromium loads a page, its assets and a WebSocket through serve over HTTP/2") {
    const std::string chromium = "/usr/bin/chromium";
    if (::access(chromium.c_str(), X_OK) != 0) {
      MESSAGE("chromium is not installed here: skipped (scripts/test.sh installs it)");
      return;
    }
    Http2Proxy proxy;
    TempDir files;
    const auto log = files.path() / "access.log";
    proxy.start({"accesslog=" + log.string(), "accesslogformat=json"});
    struct Browser {
      pid_t pid;
      ~Browser() {
        if (pid <= 0) return;
        ::kill(pid, SIGTERM);
        int status = 0;
        ::waitpid(pid, &status, 0);
      }
    } browser{spawn_process({chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--no-first-run", "--disable-extensions", "--disable-background-networking",
                             "--ignore-certificate-errors", "--user-data-dir=" + (files.path() / "profile").string(),
                             "--host-resolver-rules=MAP h2.test 127.0.0.1", proxy.url("/page")},
                            (files.path() / "chromium.log").string())};
    REQUIRE(browser.pid > 0);
    // The page's script asks for /done once its WebSocket has echoed.
    std::string done;
    const bool finished = eventually(
        [&] {
          for (const auto& r : proxy.backend.requests()) {
            if (r.head.starts_with("GET /done")) done = r.head.substr(0, r.head.find(' ', 4));
          }
          return !done.empty();
        },
        30'000);
    INFO(read_file(files.path() / "chromium.log"));
    REQUIRE(finished);
    CHECK(done == "GET /done?assets=3&echo=hello%20over%20the%20front%20end");
    // Every request of the page, the WebSocket's included (RFC 8441), came over HTTP/2.
    REQUIRE(eventually([&] { return read_file(log).find("/done") != std::string::npos; }, 3000));
    std::istringstream lines(read_file(log));
    std::map<std::string, std::string> protocol;
    for (std::string line; std::getline(lines, line);) {
      const auto record = nlohmann::json::parse(line);
      protocol[record["path"].get<std::string>().substr(0, 7)] = record["protocol"];
    }
    CHECK(protocol["/page"] == "HTTP/2");
    CHECK(protocol["/asset?"] == "HTTP/2");
    CHECK(protocol["/wsecho"] == "HTTP/2");
    CHECK(protocol["/done?a"] == "HTTP/2");
    CHECK(proxy.server->stop() == 0);
  }
}
