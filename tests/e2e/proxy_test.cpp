// sslbind serve as ARR: HTTP/1.1 requests proxied to the web farm of their Host, with real TLS clients on loopback
// and web workers the tests start (an in-process one, and Debian's nginx).
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <thread>

#include "tests/e2e/front_end.hpp"
#include "tests/support/http_backend.hpp"
#include "tests/support/process.hpp"
#include "tests/support/process_usage.hpp"
#include "tests/support/tls_client.hpp"

using namespace sslbind::test;

namespace {

// A front end with one SNI binding, proxy.test:<port>, and a farm "www" of `servers` that serves every host.
struct Proxy {
  FrontEnd fe;
  std::uint16_t port = free_port();

  explicit Proxy(const std::vector<std::string>& servers) {
    fe.bind("hostnameport=proxy.test:" + std::to_string(port), fe.import("proxy.test"));
    std::string list;
    for (const auto& s : servers) list += (list.empty() ? "" : ",") + s;
    add_farm("www", list);
    REQUIRE(fe.sslbind({"add", "route", "host=*", "webfarm=www"}).exit_code == 0);
  }
  void add_farm(const std::string& name, const std::string& servers) {
    const auto r = fe.sslbind({"add", "webfarm", "name=" + name, "server=" + servers});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }
  // Starts serve on the root; stop() stops it by its pid (and the destructor, if the test ends first).
  void start(std::vector<std::string> args = {}) {
    server.emplace(SSLBIND_BINARY, fe.sslbind.root.path(), port, fe.serve_arguments(std::move(args)));
    REQUIRE(server->ok());
  }
  int stop() { return server->stop(); }
  std::optional<ServeProcess> server;

  // One request on a connection of its own; the answer is read until the front end closes.
  std::string request(const std::string& text) {
    return tls_connect("127.0.0.1", port, {"proxy.test", nullptr, 0, text}).answer;
  }
  std::string get(const std::string& path, const std::string& host = "proxy.test") {
    return request("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
  }
};

std::string status_line(const std::string& answer) { return answer.substr(0, answer.find("\r\n")); }
std::string body_of(const std::string& answer) {
  const auto at = answer.find("\r\n\r\n");
  return at == std::string::npos ? "" : answer.substr(at + 4);
}

// A process the test started, stopped by its pid when the test ends, however it ends.
struct Child {
  pid_t pid = -1;
  ~Child() {
    if (pid <= 0) return;
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
};

bool accepts_tcp(std::uint16_t port) {
  const int fd = tcp_connect("127.0.0.1", port);
  if (fd >= 0) ::close(fd);
  return fd >= 0;
}

}  // namespace

TEST_SUITE("serve: HTTP reverse proxy") {
  TEST_CASE("headers arrive as ARR sends them, forged ones do not, Host is kept") {
    HttpBackend backend;
    Proxy proxy({backend.address()});
    proxy.start();
    const std::string answer = proxy.request(
        "GET /echo?q=1 HTTP/1.1\r\nHost: Proxy.Test\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: http\r\n"
        "X-ARR-SSL: forged\r\nX-ARR-ClientCert: forged\r\nX-Original-URL: /admin\r\nKeep-Alive: 300\r\n"
        "Connection: close\r\n\r\n");
    CHECK(status_line(answer) == "HTTP/1.1 200 OK");
    const std::string seen = body_of(answer);
    CHECK(seen.starts_with("GET /echo?q=1 HTTP/1.1\r\nHost: Proxy.Test\r\n"));
    CHECK(seen.find("\r\nX-Forwarded-For: 127.0.0.1\r\n") != std::string::npos);
    CHECK(seen.find("\r\nX-Forwarded-Proto: https\r\n") != std::string::npos);
    CHECK(seen.find("6.6.6.6") == std::string::npos);
    CHECK(seen.find("forged") == std::string::npos);
    CHECK(seen.find("/admin") == std::string::npos);
    CHECK(seen.find("Keep-Alive") == std::string::npos);
    // X-ARR-SSL: key bits | cipher bits | issuer | subject, in Windows' order.
    const std::string arr = header(seen, "X-ARR-SSL");
    CHECK(arr.find("|CN=proxy.test") != std::string::npos);
    CHECK(std::count(arr.begin(), arr.end(), '|') == 3);
    // A farm with arrssl=disable sends none.
    REQUIRE(proxy.fe.sslbind({"update", "webfarm", "name=www", "arrssl=disable"}).exit_code == 0);
    CHECK(eventually([&] { return body_of(proxy.get("/echo")).find("X-ARR-SSL") == std::string::npos; }, 3000));
    CHECK(proxy.stop() == 0);
  }

  TEST_CASE("keep-alive reuses the web worker's connection, pipelined requests are answered in order") {
    HttpBackend backend;
    Proxy proxy({backend.address()});
    proxy.start({"threads=1"});
    TlsConnection client("127.0.0.1", proxy.port, "proxy.test");
    REQUIRE(client.ok());
    for (int i = 0; i < 3; ++i) CHECK(status_line(client.get("proxy.test", "/echo")) == "HTTP/1.1 200 OK");
    // A second client on the same I/O thread takes the pooled connection too.
    CHECK(status_line(proxy.get("/echo")) == "HTTP/1.1 200 OK");
    CHECK(backend.requests().size() == 4);
    CHECK(backend.connections() == 1);
    const std::string answers = proxy.request(
        "GET /echo?n=1 HTTP/1.1\r\nHost: a\r\n\r\nHEAD /big?n=10 HTTP/1.1\r\nHost: a\r\n\r\n"
        "GET /echo?n=3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    const auto first = answers.find("GET /echo?n=1");
    const auto head = answers.find("Content-Length: 10\r\n\r\nHTTP/1.1 200 OK");  // HEAD: a head, no body
    const auto third = answers.find("GET /echo?n=3");
    CHECK(first != std::string::npos);
    CHECK(head != std::string::npos);
    CHECK(third != std::string::npos);
    CHECK((first < head && head < third));
    // SIGTERM closes a keep-alive connection idle between requests at once, as nginx does: no 10 s drain for it.
    REQUIRE(client.ok());
    const auto stopping = std::chrono::steady_clock::now();
    CHECK(proxy.stop() == 0);
    CHECK(std::chrono::steady_clock::now() - stopping < std::chrono::seconds(5));
  }

  TEST_CASE(
      "bodies of 0 bytes to 100 MB pass unchanged both ways, with Content-Length and chunked, in bounded memory") {
    HttpBackend backend;
    Proxy proxy({backend.address()});
    proxy.start({"threads=1"});
    TempDir dir;
    const std::string url = "https://proxy.test:" + std::to_string(proxy.port);
    const std::string resolve = "proxy.test:" + std::to_string(proxy.port) + ":127.0.0.1";
    // Under AddressSanitizer, which cannot bound the memory (below), 16 MB: a thousand times the buffers still, at a
    // sixth of the time.
    const std::uint64_t largest = (kAddressSanitizer ? std::uint64_t{16} : std::uint64_t{100}) << 20;
    for (const std::uint64_t size : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{70'000}, largest}) {
      CAPTURE(size);
      std::string body;
      body.reserve(size);
      for (std::uint64_t i = 0; i < size; ++i) body += HttpBackend::pattern(i * 7);
      write_file(dir.path() / "body", body);
      const std::string expected = std::to_string(size) + " " + std::to_string(HttpBackend::checksum(body));
      for (const bool chunked : {false, true}) {
        CAPTURE(chunked);
        std::vector<std::string> curl{"/usr/bin/curl",
                                      "-sk",
                                      "--http1.1",
                                      "--resolve",
                                      resolve,
                                      "--data-binary",
                                      "@" + (dir.path() / "body").string(),
                                      url + "/body"};
        if (chunked) curl.insert(curl.end(), {"-H", "Transfer-Encoding: chunked"});
        const auto up = run_process(curl);
        CHECK(up.out == expected);
        const auto down =
            run_process({"/usr/bin/curl", "-sk", "--http1.1", "--resolve", resolve, "-o", (dir.path() / "got").string(),
                         url + (chunked ? "/chunked?n=" : "/big?n=") + std::to_string(size)});
        CHECK(down.exit_code == 0);
        const std::string got = read_file(dir.path() / "got");
        CHECK(got.size() == size);
        std::string pattern;
        pattern.reserve(size);
        for (std::uint64_t i = 0; i < size; ++i) pattern += HttpBackend::pattern(i);
        CHECK(got == pattern);
      }
    }
    // 400 MB went through (64 MB under ASan); a front end that held a message whole would have grown past 100 MB.
    const long peak = peak_rss_kib(proxy.server->pid());
    MESSAGE("serve's peak RSS: " << peak << " KiB");
    CHECK(peak > 0);
    // AddressSanitizer keeps freed memory in quarantine (256 MB by default): the bound holds for real builds only.
    if (!kAddressSanitizer) CHECK(peak < 64 * 1024);
    CHECK(proxy.stop() == 0);
  }

  TEST_CASE("Expect: 100-continue: the web worker's 100 Continue comes back before the body is sent") {
    HttpBackend backend;
    Proxy proxy({backend.address()});
    proxy.start();
    TlsConnection client("127.0.0.1", proxy.port, "proxy.test");
    REQUIRE(
        client.send("POST /body HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
    CHECK(client.receive(1) == "HTTP/1.1 100 Continue\r\n\r\n");
    REQUIRE(client.send("hello"));
    const std::string body = "5 " + std::to_string(HttpBackend::checksum("hello"));
    const std::string expected =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
        body;
    CHECK(client.receive(expected.size()) == expected);
    CHECK(proxy.stop() == 0);
  }

  TEST_CASE("a WebSocket upgrade becomes a tunnel that echoes both ways") {
    HttpBackend backend;
    Proxy proxy({backend.address()});
    proxy.start();
    {
      TlsConnection client("127.0.0.1", proxy.port, "proxy.test");
      REQUIRE(
          client.send("GET /ws HTTP/1.1\r\nHost: proxy.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
      const std::string head = client.receive(1);
      CHECK(head.starts_with("HTTP/1.1 101 Switching Protocols\r\n"));
      CHECK(head.find("Upgrade: websocket\r\n") != std::string::npos);
      for (const std::string& message :
           {std::string("hello"), std::string("through the tunnel"), std::string(20000, 'w')}) {
        REQUIRE(client.send(message));
        CHECK(client.receive(message.size()) == message);
      }
    }
    // The client's close ends the tunnel: the front end has nothing left to drain and stops at once.
    REQUIRE(eventually([&] { return proxy.fe.status()["connections"]["active"] == 0; }, 5000));
    const auto stopping = std::chrono::steady_clock::now();
    CHECK(proxy.stop() == 0);
    CHECK(std::chrono::steady_clock::now() - stopping < std::chrono::seconds(5));
  }

  TEST_CASE("a web worker that is down or resets: retried on another when safe, then 502, and marked down") {
    HttpBackend live;
    HttpBackend resetting;
    const std::string dead = "127.0.0.1:" + std::to_string(free_port());
    Proxy proxy({dead, live.address()});
    proxy.add_farm("flaky", resetting.address() + "," + live.address());
    REQUIRE(proxy.fe.sslbind({"add", "route", "host=flaky.test", "webfarm=flaky"}).exit_code == 0);
    proxy.add_farm("gone", dead);
    REQUIRE(proxy.fe.sslbind({"add", "route", "host=gone.test", "webfarm=gone"}).exit_code == 0);
    HttpBackend post_a;
    HttpBackend post_b;
    proxy.add_farm("post", post_a.address() + "," + post_b.address());
    REQUIRE(proxy.fe.sslbind({"add", "route", "host=post.test", "webfarm=post"}).exit_code == 0);
    proxy.start();
    // The dead server refuses: every request goes to the live one.
    for (int i = 0; i < 4; ++i) CHECK(status_line(proxy.get("/echo")) == "HTTP/1.1 200 OK");
    CHECK(live.requests().size() == 4);
    // /reset on both servers of "flaky" (the live one resets on /reset too): a GET is tried on each, then 502.
    std::string answer = proxy.get("/reset", "flaky.test");
    CHECK(status_line(answer) == "HTTP/1.1 502 Bad Gateway");
    CHECK(answer.find("127.0.0.1") == std::string::npos);  // no internal address on the page
    CHECK(resetting.requests().size() == 1);
    // The live server got it once, or twice when the first try was on a pooled connection, which is sent again on
    // a fresh one (a reset before any answer cannot be told from a keep-alive connection the server closed).
    CHECK(live.requests().size() >= 5);
    CHECK(live.requests().size() <= 6);
    // A POST whose body went is never sent twice, though the farm has another server.
    answer =
        proxy.request("POST /reset HTTP/1.1\r\nHost: post.test\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
    CHECK(status_line(answer) == "HTTP/1.1 502 Bad Gateway");
    CHECK(post_a.requests().size() + post_b.requests().size() == 1);
    CHECK(status_line(proxy.get("/", "gone.test")) == "HTTP/1.1 502 Bad Gateway");
    // A client still sending a large body reads the 502 whole: the front end reads on before it closes.
    TempDir upload;
    write_file(upload.path() / "body", std::string(20 << 20, 'x'));
    const auto curl = run_process({"/usr/bin/curl", "-sk", "--http1.1", "--resolve",
                                   "proxy.test:" + std::to_string(proxy.port) + ":127.0.0.1", "-H", "Host: gone.test",
                                   "-H", "Expect:", "--data-binary", "@" + (upload.path() / "body").string(),
                                   "https://proxy.test:" + std::to_string(proxy.port) + "/upload"});
    CHECK(curl.out.find("<h1>502 Bad Gateway</h1>") != std::string::npos);
    const auto status = proxy.fe.status();
    CHECK(status["webWorkers"][dead]["up"] == false);
    CHECK(status["webFarms"][3]["name"] == "www");  // by name: flaky, gone, post, www
    CHECK(status["webFarms"][3]["requests"].get<int>() >= 4);
    CHECK(status["webFarms"][3]["servers"][0]["server"] == dead);
    const std::string text = proxy.fe.sslbind({"show", "frontend"}).out;
    CHECK(text.find("    Web worker          : " + dead + " down") != std::string::npos);
    CHECK(status["connections"]["failures"]["backendUnavailable"].get<int>() >= 2);
    CHECK(proxy.stop() == 0);
  }

  TEST_CASE("one client cannot take a server out: failures= within failurewindow=, a refusal weighing two") {
    HttpBackend backend;
    const std::string dead = "127.0.0.1:" + std::to_string(free_port());
    Proxy proxy({backend.address()});
    proxy.add_farm("gone", dead);
    REQUIRE(proxy.fe.sslbind({"add", "route", "host=gone.test", "webfarm=gone"}).exit_code == 0);
    REQUIRE(proxy.fe.sslbind({"update", "webfarm", "name=www", "failures=3", "failurewindow=60"}).exit_code == 0);
    proxy.start({"threads=1"});
    // A request the web worker resets: 502 for that client, and the server stays up for the next one.
    CHECK(status_line(proxy.get("/reset")) == "HTTP/1.1 502 Bad Gateway");
    CHECK(proxy.fe.status()["webWorkers"][backend.address()]["up"] == true);
    CHECK(status_line(proxy.get("/echo")) == "HTTP/1.1 200 OK");
    CHECK(status_line(proxy.get("/reset")) == "HTTP/1.1 502 Bad Gateway");
    CHECK(proxy.fe.status()["webWorkers"][backend.address()]["up"] == true);
    // The third within the window takes it out.
    CHECK(status_line(proxy.get("/reset")) == "HTTP/1.1 502 Bad Gateway");
    CHECK(proxy.fe.status()["webWorkers"][backend.address()]["up"] == false);
    const std::size_t seen = backend.requests().size();
    CHECK(status_line(proxy.get("/echo")) == "HTTP/1.1 502 Bad Gateway");
    CHECK(backend.requests().size() == seen);  // not asked while down
    // A refused connection weighs two: with the default of 5, three refusals take a server out.
    CHECK(status_line(proxy.get("/", "gone.test")) == "HTTP/1.1 502 Bad Gateway");
    CHECK(status_line(proxy.get("/", "gone.test")) == "HTTP/1.1 502 Bad Gateway");
    CHECK(proxy.fe.status()["webWorkers"][dead]["up"] == true);
    CHECK(status_line(proxy.get("/", "gone.test")) == "HTTP/1.1 502 Bad Gateway");
    CHECK(proxy.fe.status()["webWorkers"][dead]["up"] == false);
    CHECK(proxy.fe.sslbind({"show", "webfarm", "name=www"}).out.find("Failures To Go Down          : 3 in 60 s") !=
          std::string::npos);
    CHECK(proxy.stop() == 0);
  }

  TEST_CASE("active health checks take a server out and bring it back") {
    HttpBackend live;
    const std::uint16_t later = free_port();
    const std::string later_address = "127.0.0.1:" + std::to_string(later);
    Proxy proxy({live.address(), later_address});
    REQUIRE(proxy.fe.sslbind({"update", "webfarm", "name=www", "healthcheck=/health", "healthinterval=1"}).exit_code ==
            0);
    proxy.start();
    // Nothing listens on the second server yet: its check fails, and every request goes to the first.
    CHECK(eventually([&] { return proxy.fe.status()["webWorkers"][later_address]["up"] == false; }, 3000));
    for (int i = 0; i < 4; ++i) CHECK(status_line(proxy.get("/echo")) == "HTTP/1.1 200 OK");
    // It starts: the next check brings it back, and it gets requests.
    HttpBackend started(later);
    REQUIRE(started.port() == later);
    CHECK(eventually([&] { return proxy.fe.status()["webWorkers"][later_address]["up"] == true; }, 4000));
    CHECK(eventually(
        [&] {
          return proxy.get("/echo"),
                 !started.requests().empty() && started.requests().back().head.starts_with("GET /echo");
        },
        3000));
    const auto checks = started.requests();
    CHECK(checks.front().head.starts_with("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    // A status outside healthstatus counts as down.
    REQUIRE(proxy.fe.sslbind({"update", "webfarm", "name=www", "healthstatus=201-204"}).exit_code == 0);
    // Both servers answer 200: both go down, each at its own next check (waiting for one alone raced the other).
    CHECK(eventually(
        [&] {
          const auto workers = proxy.fe.status()["webWorkers"];
          return workers[live.address()]["up"] == false && workers[later_address]["up"] == false;
        },
        4000));
    CHECK(status_line(proxy.get("/echo")) == "HTTP/1.1 502 Bad Gateway");
    CHECK(proxy.stop() == 0);
  }

  TEST_CASE("a web worker that answers too late gets 504 after responsetimeout") {
    HttpBackend backend;
    Proxy proxy({backend.address()});
    proxy.start({"responsetimeout=1"});
    const auto start = std::chrono::steady_clock::now();
    const std::string answer = proxy.get("/slow?ms=4000");
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(status_line(answer) == "HTTP/1.1 504 Gateway Timeout");
    CHECK(took < std::chrono::milliseconds(3500));
    CHECK(status_line(proxy.get("/slow?ms=10")) == "HTTP/1.1 200 OK");
    CHECK(proxy.fe.status()["connections"]["failures"]["backendTimeout"] == 1);
    CHECK(proxy.stop() == 0);
  }

  TEST_CASE("routes and farms changed while serving take effect for new requests, unrouted hosts get 404") {
    HttpBackend one;
    HttpBackend two;
    Proxy proxy({one.address()});
    REQUIRE(proxy.fe.sslbind({"delete", "route", "host=*"}).exit_code == 0);
    REQUIRE(proxy.fe.sslbind({"add", "route", "host=*.contoso.test", "webfarm=www"}).exit_code == 0);
    proxy.start();
    CHECK(status_line(proxy.get("/echo", "shop.contoso.test")) == "HTTP/1.1 200 OK");
    const std::string missing = proxy.get("/echo", "elsewhere.test");
    CHECK(status_line(missing) == "HTTP/1.1 404 Not Found");
    CHECK(one.requests().size() == 1);
    // The farm moves to the second web worker; an exact route for one host goes to a new farm.
    REQUIRE(proxy.fe.sslbind({"update", "webfarm", "name=www", "server=" + two.address()}).exit_code == 0);
    CHECK(
        eventually([&] { return !two.requests().empty() || (proxy.get("/echo", "shop.contoso.test"), false); }, 3000));
    proxy.add_farm("elsewhere", one.address());
    REQUIRE(proxy.fe.sslbind({"add", "route", "host=elsewhere.test", "webfarm=elsewhere"}).exit_code == 0);
    CHECK(eventually([&] { return status_line(proxy.get("/echo", "elsewhere.test")) == "HTTP/1.1 200 OK"; }, 3000));
    CHECK(proxy.stop() == 0);
  }

  TEST_CASE("request smuggling and malformed requests are refused, none reaches a web worker as two requests") {
    HttpBackend backend;
    Proxy proxy({backend.address()});
    proxy.start({"handshaketimeout=2"});
    const std::string h = "Host: proxy.test\r\n";
    const std::string smuggled = "GET /smuggled HTTP/1.1\r\n" + h + "\r\n";
    const std::vector<std::string> forms{
        "POST /a HTTP/1.1\r\n" + h + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
        "POST /a HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\n" + smuggled,
        "POST /a HTTP/1.1\r\n" + h + "Content-Length: 0\r\nContent-Length: 44\r\n\r\n" + smuggled,
        "POST /a HTTP/1.1\r\n" + h + "Content-Length: 44, 0\r\n\r\n" + smuggled,
        "POST /a HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + smuggled,
        "POST /a HTTP/1.1\r\n" + h + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + smuggled,
        "POST /a HTTP/1.1\r\n" + h + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n" + smuggled,
        "POST /a HTTP/1.1\r\n" + h + "Transfer-Encoding:\tchunked\r\n X: y\r\n\r\n0\r\n\r\n" + smuggled,
        "POST /a HTTP/1.1\r\n" + h + "Content-Length: +44\r\n\r\n" + smuggled,
        "POST /a HTTP/1.1\r\n" + h + "Content-Length: 0x2c\r\n\r\n" + smuggled,
        "POST /a HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n1g\r\nx\r\n0\r\n\r\n" + smuggled,
        "POST /a HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n2\r\nxxx\r\n0\r\n\r\n" + smuggled,
        "GET /a HTTP/1.1\r\n" + h + "X: a\nContent-Length: 44\r\n\r\n" + smuggled,
        "GET /a HTTP/1.1\r\nHost: proxy.test\r\nHost: other.test\r\n\r\n",
        "GET /a HTTP/1.1\r\n\r\n",
        "GET /a HTTP/1.1\r\n" + h + "X-Bad\x01Name: 1\r\n\r\n",
        "GET /a HTTP/1.1\r\n" + h + "X-Bad: a\rb\r\n\r\n",
        std::string("GET /a HTTP/1.1\r\n") + h + "X-Nul: a" + std::string(1, '\0') + "b\r\n\r\n",
        "GET /a b HTTP/1.1\r\n" + h + "\r\n",
        "GET /a HTTP/1.1 extra\r\n" + h + "\r\n",
        "GET /a HTTP/9.9\r\n" + h + "\r\n",
        " GET /a HTTP/1.1\r\n" + h + "\r\n",
        "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n" + h + "\r\n",
        "GET /a HTTP/1.1\r\n" + h + "X-Big: " + std::string(40000, 'b') + "\r\n\r\n",
    };
    int refused = 0;
    for (std::size_t i = 0; i < forms.size(); ++i) {
      CAPTURE(i);
      const std::string answer = proxy.request(forms[i]);
      const std::string status = status_line(answer);
      const bool bad = status == "HTTP/1.1 400 Bad Request" ||
                       status == "HTTP/1.1 431 Request Header Fields Too Large" ||
                       status == "HTTP/1.1 414 URI Too Long" || status == "HTTP/1.1 505 HTTP Version Not Supported";
      CHECK(bad);
      refused += bad ? 1 : 0;
      CHECK(answer.find("Connection: close") != std::string::npos);
    }
    CHECK(refused >= 20);
    for (const auto& r : backend.requests()) CHECK(r.head.find("/smuggled") == std::string::npos);
    CHECK(backend.requests().empty());
    CHECK(backend.connections() == 0);  // refused before a web worker was even chosen
    CHECK(proxy.fe.status()["connections"]["failures"]["badRequest"].get<std::size_t>() == forms.size());
    // Slow headers: a head that does not finish is cut after the handshake's time (2 s here).
    TlsConnection slow("127.0.0.1", proxy.port, "proxy.test");
    REQUIRE(slow.send("GET /echo HTTP/1.1\r\nHost: proxy"));
    const auto start = std::chrono::steady_clock::now();
    CHECK(slow.receive(1).empty());
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    CHECK(proxy.stop() == 0);
  }

  TEST_CASE("Debian's nginx as the web worker: the forwarded headers, a static file, keep-alive") {
    TempDir site;
    const std::uint16_t nginx_port = free_port();
    std::filesystem::create_directories(site.path() / "www");
    write_file(site.path() / "www" / "index.html", "<h1>served by nginx</h1>\n");
    std::string temp;
    for (const char* t : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
      temp += std::string("  ") + t + "_temp_path " + (site.path() / t).string() + ";\n";
    }
    write_file(site.path() / "nginx.conf",
               "worker_processes 1;\npid " + (site.path() / "nginx.pid").string() + ";\nerror_log " +
                   (site.path() / "error.log").string() +
                   ";\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n  keepalive_timeout 1s;\n" + temp +
                   "  server {\n    listen 127.0.0.1:" + std::to_string(nginx_port) +
                   ";\n    location /headers { return 200 \"xff=$http_x_forwarded_for proto=$http_x_forwarded_proto "
                   "arr=$http_x_arr_ssl host=$host\\n\"; }\n    location / { root " +
                   (site.path() / "www").string() + "; }\n  }\n}\n");
    const Child nginx{spawn_process(
        {"/usr/sbin/nginx", "-c", (site.path() / "nginx.conf").string(), "-g", "daemon off; master_process off;"},
        (site.path() / "nginx.out").string())};
    REQUIRE(nginx.pid > 0);
    REQUIRE(eventually([&] { return accepts_tcp(nginx_port); }, 5000));
    Proxy proxy({"127.0.0.1:" + std::to_string(nginx_port)});
    proxy.start({"threads=1"});
    const std::string headers = body_of(proxy.get("/headers", "Proxy.Test"));
    CHECK(headers.starts_with("xff=127.0.0.1 proto=https arr="));
    CHECK(headers.find("|CN=proxy.test host=proxy.test\n") != std::string::npos);
    TlsConnection client("127.0.0.1", proxy.port, "proxy.test");
    for (int i = 0; i < 3; ++i) {
      const std::string page = client.get("proxy.test", "/index.html");
      CHECK(status_line(page) == "HTTP/1.1 200 OK");
      CHECK(body_of(page) == "<h1>served by nginx</h1>\n");
    }
    // nginx closes the pooled connection after its keepalive_timeout: the pool drops it when it closes, so a POST
    // (whose body, once sent on a dead connection, could not be sent again) goes out on a new one and succeeds.
    std::this_thread::sleep_for(std::chrono::milliseconds(1800));
    const std::string worker = "127.0.0.1:" + std::to_string(nginx_port);
    const auto attempts = proxy.fe.status()["webWorkers"][worker]["requests"].get<int>();
    REQUIRE(client.send("POST /headers HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 3\r\n\r\nx=1"));
    CHECK(status_line(client.receive(17)) == "HTTP/1.1 200 OK");
    // One attempt: not a try on the closed connection first and a retry after.
    CHECK(eventually([&] { return proxy.fe.status()["webWorkers"][worker]["requests"] == attempts + 1; }, 2000));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(proxy.fe.status()["webWorkers"][worker]["requests"] == attempts + 1);
    CHECK(proxy.stop() == 0);
  }

  TEST_CASE("the access log has a line per request, in text or JSON, and is reopened on SIGHUP") {
    HttpBackend backend;
    Proxy proxy({backend.address()});
    TempDir logs;
    const auto file = logs.path() / "access.log";
    proxy.start({"accesslog=" + file.string(), "accesslogformat=json"});
    CHECK(status_line(proxy.get("/echo?x=1")) == "HTTP/1.1 200 OK");
    CHECK(status_line(proxy.get("/echo", "nowhere.test")) == "HTTP/1.1 200 OK");
    REQUIRE(eventually(
        [&] {
          const std::string now = read_file(file);
          return std::count(now.begin(), now.end(), '\n') >= 2;
        },
        3000));
    const std::string text = read_file(file);
    const auto line = nlohmann::json::parse(text.substr(0, text.find('\n')));
    CHECK(line["client"].get<std::string>().starts_with("127.0.0.1:"));
    CHECK(line["sni"] == "proxy.test");
    CHECK(line["binding"] == "hostnameport=proxy.test:" + std::to_string(proxy.port));
    CHECK(line["certhash"].get<std::string>().size() == 40);
    CHECK(line["host"] == "proxy.test");
    CHECK(line["method"] == "GET");
    CHECK(line["path"] == "/echo?x=1");
    CHECK(line["protocol"] == "HTTP/1.1");
    CHECK(line["status"] == 200);
    CHECK(line["server"] == backend.address());
    CHECK(line["bytesIn"].get<int>() > 0);
    CHECK(line["bytesOut"].get<int>() > 0);
    // logrotate: the file is moved, SIGHUP, and the next lines go to a new file of the old name.
    std::filesystem::rename(file, logs.path() / "access.log.1");
    REQUIRE(::kill(proxy.server->pid(), SIGHUP) == 0);
    CHECK(eventually(
        [&] {
          proxy.get("/echo?after=rotate");
          return read_file(file).find("after=rotate") != std::string::npos;
        },
        3000));
    CHECK(proxy.stop() == 0);
  }
}
