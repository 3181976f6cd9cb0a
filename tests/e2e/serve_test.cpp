// sslbind serve on loopback with a real TLS client: the certificate on the wire is the one resolve names.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/front_end.hpp"
#include "tests/e2e/sslbind_runner.hpp"
#include "tests/support/certificate_factory.hpp"
#include "tests/support/serve_process.hpp"
#include "tests/support/tls_client.hpp"

using namespace sslbind::test;

namespace {

// What `sslbind resolve` says a client gets: the thumbprint, or "" when the handshake fails.
std::string resolved(const Sslbind& sslbind, const std::string& address, std::uint16_t port,
                     const std::optional<std::string>& sni) {
  const std::string ipport = address.find(':') != std::string::npos ? "[" + address + "]:" + std::to_string(port)
                                                                    : address + ":" + std::to_string(port);
  std::vector<std::string> args{"--json", "resolve", "ipport=" + ipport};
  if (sni) args.push_back("hostname=" + *sni);
  const auto doc = nlohmann::json::parse(sslbind(args).out);
  if (!doc["selected"].get<bool>()) return "";
  return doc["certificate"].value("certhash", "<not in store>");
}

// Whether a TCP connection succeeds; it is closed at once.
bool accepts(const std::string& address, std::uint16_t port) {
  const int fd = tcp_connect(address, port);
  if (fd >= 0) ::close(fd);
  return fd >= 0;
}

std::string u16(std::size_t n) { return {static_cast<char>((n >> 8) & 0xFF), static_cast<char>(n & 0xFF)}; }

// A TLS 1.2 ClientHello whose server_name extension's body is `server_name`, as tlsfuzzer builds them (the
// ClientHello callback reads the extension before any version is chosen); the answer's first bytes, within 5 s.
std::string answer_to_client_hello(std::uint16_t port, const std::string& server_name) {
  std::string extensions;
  const auto add = [&](std::size_t type, const std::string& body) {
    extensions += u16(type) + u16(body.size()) + body;
  };
  add(0x0000, server_name);
  add(0x000a, u16(4) + u16(0x001d) + u16(0x0017));  // supported_groups: x25519, secp256r1
  add(0x000d, u16(4) + u16(0x0403) + u16(0x0804));  // signature_algorithms
  const std::string body = u16(0x0303) + std::string(32, '\x42') + std::string(1, '\0') + u16(4) + u16(0xc02b) +
                           u16(0xc02f) + std::string("\x01\x00", 2) + u16(extensions.size()) + extensions;
  const std::string handshake = std::string(1, '\x01') + std::string(1, '\0') + u16(body.size()) + body;
  const std::string record = std::string("\x16\x03\x01", 3) + u16(handshake.size()) + handshake;
  const int fd = tcp_connect("127.0.0.1", port);
  if (fd < 0) return "";
  const timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::send(fd, record.data(), record.size(), MSG_NOSIGNAL);
  std::string answer;
  char buffer[64];
  ssize_t n = 0;
  while (answer.size() < 7 && (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0)
    answer.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  return answer;
}

// The alert's description in an answer that is one fatal alert record, or -1.
int fatal_alert(const std::string& answer) {
  if (answer.size() < 7 || answer[0] != '\x15' || answer[5] != '\x02') return -1;
  return static_cast<unsigned char>(answer[6]);
}

std::string sni_entry(unsigned char type, const std::string& name) {
  const std::string entry = std::string(1, static_cast<char>(type)) + u16(name.size()) + name;
  return u16(entry.size()) + entry;
}

}  // namespace

TEST_SUITE("serve") {
  TEST_CASE("every binding family: the certificate a client receives is the one resolve names") {
    FrontEnd fe;
    const std::uint16_t p1 = free_port(), p2 = free_port(), p3 = free_port();
    fe.bind("ipport=127.0.0.2:" + std::to_string(p1), fe.import("exact.test"));
    fe.bind("hostnameport=www.contoso.com:" + std::to_string(p1), fe.import("www.contoso.com"));
    fe.bind("hostnameport=*.wild.test:" + std::to_string(p1), fe.import("*.wild.test"));
    fe.bind("ipport=[::]:" + std::to_string(p1), fe.import("v6.wildcard.test"));
    fe.bind("ipport=0.0.0.0:" + std::to_string(p1), fe.import("v4.wildcard.test"));
    fe.bind("ccs=" + std::to_string(p1), "");
    fe.ccs_file("shop.contoso.com.pfx", "shop.contoso.com");
    fe.ccs_file("_.fabrikam.com.pfx", "*.fabrikam.com");
    write_file(fe.ccs / "broken.contoso.com.pfx", "not a PFX at all");
    // Spellings: a file found only by the listing (matched without regard to case), and two spellings of one name,
    // of which the lower-case one is served, also before the first listing ends.
    fe.ccs_file("Mixed.Contoso.com.pfx", "mixed.contoso.com");
    fe.ccs_file("TWICE.contoso.com.pfx", "twice.contoso.com");
    const std::string twice = fe.ccs_file("twice.contoso.com.pfx", "twice.contoso.com");
    REQUIRE(fe.sslbind({"add", "ccs", "location=" + fe.ccs.string()}).exit_code == 0);
    fe.bind("hostnameport=api.contoso.com:" + std::to_string(p2), fe.import("api.contoso.com"));  // SNI only
    fe.bind("ipport=[::1]:" + std::to_string(p3), fe.import("exact.v6.test"));
    fe.bind("ipport=0.0.0.0:" + std::to_string(p3), fe.import("p3.v4.test"));
    auto server = fe.serve(p1);
    REQUIRE(server.ok());
    REQUIRE(eventually([&] { return accepts("127.0.0.1", p3) && accepts("::1", p2); }, 5000));

    const std::vector<std::optional<std::string>> names{std::nullopt,         "www.contoso.com",     "WWW.Contoso.COM",
                                                        "a.wild.test",        "shop.contoso.com",    "x.fabrikam.com",
                                                        "broken.contoso.com", "unknown.example.org", "api.contoso.com",
                                                        "mixed.contoso.com",  "twice.contoso.com"};
    int cases = 0, failures = 0;
    for (const std::string address : {"127.0.0.1", "127.0.0.2", "::1"}) {
      for (std::uint16_t port : {p1, p2, p3}) {
        for (const auto& sni : names) {
          CAPTURE(address);
          CAPTURE(port);
          CAPTURE(sni.value_or("(no SNI)"));
          const std::string expected = resolved(fe.sslbind, address, port, sni);
          const auto got = tls_connect(address, port, {sni, nullptr, 0, ""});
          CHECK(got.handshake == !expected.empty());
          CHECK(got.thumbprint == expected);
          ++cases;
          failures += expected.empty() ? 1 : 0;
        }
      }
    }
    CHECK(cases == 99);
    CHECK(failures > 0);  // the no-match cases are part of the comparison
    const auto status = fe.status();
    CHECK(status["connections"]["failures"]["noMatch"].get<int>() == failures);
    CHECK(status["connections"]["handshakesByStep"]["Central Certificate Store"].get<int>() > 0);
    CHECK(status["ccs"]["listed"] == true);
    CHECK(status["ccs"]["files"] == 5);  // two spellings of one name are one file to serve
    CHECK(tls_connect("127.0.0.1", p1, {"twice.contoso.com", nullptr, 0, ""}).thumbprint == twice);
    CHECK(server.stop() == 0);
  }

  TEST_CASE("changes while serving: new handshakes see them within 1 s, an open connection keeps working") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string a = fe.import("a.test"), b = fe.import("b.test");
    const std::string key = "ipport=0.0.0.0:" + std::to_string(port);
    fe.bind(key, a);
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    auto kept = std::make_unique<TlsConnection>("127.0.0.1", port, std::nullopt);
    TlsConnection& open = *kept;
    REQUIRE(open.ok());
    CHECK(open.thumbprint() == a);

    REQUIRE(fe.sslbind({"update", "sslcert", key, "certhash=" + b, "appid=" + kAppId}).exit_code == 0);
    CHECK(eventually([&] { return tls_connect("127.0.0.1", port).thumbprint == b; }));
    CHECK(header(open.get("a.test"), "X-Sslbind-Certificate") == a);  // the connection keeps its snapshot

    // A new port starts listening; a damaged registry keeps the last good snapshot.
    const std::uint16_t second = free_port();
    fe.bind("ipport=0.0.0.0:" + std::to_string(second), a);
    CHECK(eventually([&] { return tls_connect("127.0.0.1", second).thumbprint == a; }));
    const std::string good = fe.sslbind.registry();
    write_file(fe.sslbind.root.path() / "registry.json.tmp", "{\"schemaVersion\": 1, \"HKEY");
    std::filesystem::rename(fe.sslbind.root.path() / "registry.json.tmp", fe.sslbind.root.path() / "registry.json");
    CHECK(eventually([&] { return fe.status()["reloadFailures"].get<int>() >= 1; }));
    CHECK(tls_connect("127.0.0.1", port).thumbprint == b);
    write_file(fe.sslbind.root.path() / "registry.json", good);

    REQUIRE(fe.sslbind({"delete", "sslcert", key}).exit_code == 0);
    CHECK(eventually([&] { return !tls_connect("127.0.0.1", port).handshake; }));
    CHECK(header(open.get("a.test"), "X-Sslbind-Binding") == key);
    CHECK(server.log().find("registry not applied, still serving generation") != std::string::npos);
    kept.reset();  // closed first: stopping would otherwise drain it for up to 10 s
    CHECK(server.stop() == 0);
  }

  // HTTP.SYS binds only the addresses of a non-empty IP listen list, on every port a binding names; serve applies
  // the list live.
  TEST_CASE("the IP listen list: only its addresses listen, changes apply live, empty means every address") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string a = fe.import("a.test");
    fe.bind("ipport=0.0.0.0:" + std::to_string(port), a);
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    CHECK(accepts("127.0.0.2", port));

    REQUIRE(fe.sslbind({"add", "iplisten", "ipaddress=127.0.0.2"}).exit_code == 0);
    CHECK(eventually([&] { return !accepts("127.0.0.1", port); }));
    CHECK(tls_connect("127.0.0.2", port).thumbprint == a);
    // A binding to an address the list does not name gets no socket; its port listens on the listed address.
    const std::uint16_t second = free_port();
    fe.bind("ipport=127.0.0.3:" + std::to_string(second), a);
    CHECK(eventually([&] { return accepts("127.0.0.2", second); }));
    CHECK(!accepts("127.0.0.3", second));

    REQUIRE(fe.sslbind({"add", "iplisten", "127.0.0.1"}).exit_code == 0);
    CHECK(eventually([&] { return accepts("127.0.0.1", port); }));
    CHECK(tls_connect("127.0.0.1", port).thumbprint == a);
    REQUIRE(fe.sslbind({"delete", "iplisten", "ipaddress=127.0.0.1"}).exit_code == 0);
    REQUIRE(fe.sslbind({"delete", "iplisten", "ipaddress=127.0.0.2"}).exit_code == 0);
    // Empty again: every address, and the specific binding its own.
    CHECK(eventually([&] { return accepts("127.0.0.1", port) && accepts("127.0.0.3", second); }));
    CHECK(server.stop() == 0);
  }

  TEST_CASE("resumption: a session or ticket from one binding never resumes on another") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string cert = fe.import("shared.test");  // the same certificate on every binding
    const std::string p = std::to_string(port);
    fe.bind("hostnameport=a.test:" + p, cert, {"enablesessionticket=enable"});
    fe.bind("hostnameport=b.test:" + p, cert, {"enablesessionticket=enable"});
    fe.bind("hostnameport=c.test:" + p, cert);  // session ids only (HTTP.SYS issues tickets only when enabled)
    fe.bind("hostnameport=d.test:" + p, cert);
    fe.bind("hostnameport=e.test:" + p, cert, {"disablesessionid=enable"});
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    const std::string request = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    for (int version : {TLS1_3_VERSION, TLS1_2_VERSION}) {
      CAPTURE(version);
      for (const auto& names : {std::pair{"a.test", "b.test"}, std::pair{"c.test", "d.test"}}) {
        const auto& [first, other] = names;
        CAPTURE(names.first);
        auto full = tls_connect("127.0.0.1", port, {first, nullptr, version, request});
        REQUIRE(full.handshake);
        REQUIRE(full.session);
        CHECK_FALSE(full.resumed);
        const auto same = tls_connect("127.0.0.1", port, {first, full.session.get(), version, request});
        CHECK(same.resumed);
        const auto elsewhere = tls_connect("127.0.0.1", port, {other, full.session.get(), version, request});
        CHECK(elsewhere.handshake);
        CHECK_FALSE(elsewhere.resumed);
      }
      auto once = tls_connect("127.0.0.1", port, {"e.test", nullptr, version, request});
      REQUIRE(once.handshake);
      CHECK_FALSE(tls_connect("127.0.0.1", port, {"e.test", once.session.get(), version, request}).resumed);
    }
    CHECK(server.stop() == 0);
  }

  TEST_CASE("per-binding options: reject, protocol versions, client certificate request") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string cert = fe.import("opts.test");
    const std::string p = std::to_string(port);
    fe.bind("hostnameport=rejected.test:" + p, cert, {"reject=enable"});
    fe.bind("hostnameport=old.test:" + p, cert, {"disabletls13=enable"});
    fe.bind("hostnameport=new.test:" + p, cert, {"disabletls12=enable"});
    fe.bind("hostnameport=none.test:" + p, cert,
            {"disabletls12=enable", "disabletls13=enable", "disablelegacytls=enable"});
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    CHECK_FALSE(tls_connect("127.0.0.1", port, {"rejected.test", nullptr, 0, ""}).handshake);
    CHECK(tls_connect("127.0.0.1", port, {"old.test", nullptr, 0, ""}).version == "TLSv1.2");
    CHECK(tls_connect("127.0.0.1", port, {"new.test", nullptr, 0, ""}).version == "TLSv1.3");
    CHECK_FALSE(tls_connect("127.0.0.1", port, {"new.test", nullptr, TLS1_2_VERSION, ""}).handshake);
    CHECK_FALSE(tls_connect("127.0.0.1", port, {"none.test", nullptr, 0, ""}).handshake);
    CHECK(fe.status()["connections"]["failures"]["rejected"].get<int>() == 1);
    CHECK(server.stop() == 0);
  }

  TEST_CASE("bad input: garbage, truncated and oversized hellos, silence and a crowd are dropped and counted") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string cert = fe.import("bad.test");
    fe.bind("ipport=0.0.0.0:" + std::to_string(port), cert);
    auto server = fe.serve(port, {"handshaketimeout=2"});
    REQUIRE(server.ok());
    auto send_and_close = [&](const std::string& bytes) {
      const int fd = tcp_connect("127.0.0.1", port);
      REQUIRE(fd >= 0);
      ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      char buf[512];
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);  // an alert, or the close; never a hang (10 s timeout)
      ::close(fd);
      return n;
    };
    send_and_close("GET / HTTP/1.1\r\nHost: bad.test\r\n\r\n");                       // plain HTTP on a TLS port
    send_and_close(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11));  // a hello cut short
    std::string oversized("\x16\x03\x01\x40\x01", 5);                                 // a record over 2^14 bytes
    oversized += std::string(0x4001, 'A');
    send_and_close(oversized);
    std::string junk(300, '\0');
    for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>(i * 7 + 3);
    send_and_close("\x16\x03\x01\x01\x2c" + junk);  // a handshake record of noise
    {
      const int silent = tcp_connect("127.0.0.1", port);  // connects, then says nothing: the timeout drops it
      REQUIRE(silent >= 0);
      char buf[16];
      CHECK(::recv(silent, buf, sizeof buf, 0) <= 0);
      ::close(silent);
    }
    // 1,000 connections at once; a real client is still served while they are open.
    std::vector<int> crowd;
    for (int i = 0; i < 1000; ++i) {
      const int fd = tcp_connect("127.0.0.1", port);
      if (fd >= 0) crowd.push_back(fd);
    }
    CHECK(crowd.size() == 1000);
    CHECK(tls_connect("127.0.0.1", port).thumbprint == cert);
    for (int fd : crowd) ::close(fd);
    CHECK(eventually([&] { return fe.status()["connections"]["active"].get<int>() == 0; }, 5000));
    const auto failures = fe.status()["connections"]["failures"];
    // The crowd closes without a hello (bad) unless a slow machine let the handshake timeout drop it first.
    CHECK(failures["badClientHello"].get<int>() >= 4);
    CHECK(failures["handshakeTimeout"].get<int>() >= 1);
    CHECK(failures["badClientHello"].get<int>() + failures["handshakeTimeout"].get<int>() >= 1005);
    CHECK(tls_connect("127.0.0.1", port).thumbprint == cert);
    CHECK(server.stop() == 0);
  }

  TEST_CASE("forwarding: round robin past a dead backend, with a PROXY v2 header naming client and SNI") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string cert = fe.import("fwd.test");
    fe.bind("hostnameport=fwd.test:" + std::to_string(port), cert);
    // A backend that reads the PROXY header and answers with what it learnt.
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t size = sizeof a;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &size);
    ::listen(listener, 16);
    const std::uint16_t backend = ntohs(a.sin_port);
    std::atomic<int> served{0};
    std::thread worker([&] {
      for (int i = 0; i < 4; ++i) {
        const int fd = ::accept(listener, nullptr, nullptr);
        if (fd < 0) return;
        std::string got;
        char buf[4096];
        while (got.find("\r\n\r\n") == std::string::npos) {
          const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
          if (n <= 0) break;
          got.append(buf, static_cast<std::size_t>(n));
        }
        const bool signature = got.compare(0, 12, std::string("\r\n\r\n\0\r\nQUIT\n", 12)) == 0;
        const bool sni = got.find("fwd.test") != std::string::npos;
        const bool tls = got.find("TLSv1.3") != std::string::npos;
        const std::string body = std::string(signature ? "proxy-v2 " : "") + (sni ? "sni " : "") + (tls ? "tls" : "");
        const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
                                   "\r\nConnection: close\r\n\r\n" + body;
        ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
        ::close(fd);
        ++served;
      }
    });
    const std::uint16_t dead = free_port();
    auto server = fe.serve(port, {"backend=127.0.0.1:" + std::to_string(dead) + ",127.0.0.1:" + std::to_string(backend),
                                  "proxyprotocol=enable"});
    REQUIRE(server.ok());
    for (int i = 0; i < 4; ++i) {
      const auto r =
          tls_connect("127.0.0.1", port, {"fwd.test", nullptr, 0, "GET / HTTP/1.1\r\nHost: fwd.test\r\n\r\n"});
      CHECK(r.answer.ends_with("proxy-v2 sni tls"));
    }
    worker.join();
    ::close(listener);
    CHECK(served == 4);
    const auto status = fe.status();
    CHECK(status["backends"][0]["up"] == false);
    CHECK(status["backends"][1]["up"] == true);
    CHECK(server.stop() == 0);
  }

  TEST_CASE("the built-in page names the binding and certificate, show frontend reads the admin socket") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string cert = fe.import("page.test");
    fe.bind("ipport=0.0.0.0:" + std::to_string(port), cert);
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    {
      TlsConnection c("127.0.0.1", port, "page.test");
      const std::string first = c.get("page.test");
      CHECK(first.starts_with("HTTP/1.1 200 OK\r\n"));
      CHECK(first.find("Certificate: " + cert + " from store MY") != std::string::npos);
      CHECK(c.get("page.test").find("SNI:         page.test") != std::string::npos);  // keep-alive
    }
    const auto text = fe.sslbind({"show", "frontend"});
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("Handshakes by step  : IPv4 wildcard 0.0.0.0:port 1") != std::string::npos);
    CHECK(text.out.find("store/my/" + cert + ": " + cert) != std::string::npos);
    CHECK(server.stop() == 0);
    const auto gone = fe.sslbind({"show", "frontend"});
    CHECK(gone.exit_code == 1);
    CHECK(gone.err.find("no front end answers on") != std::string::npos);
  }
}

TEST_SUITE("serve") {
  TEST_CASE("ALPN: http/1.1 when offered, nothing for unknown protocols, disablehttp2 reaches the session") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    fe.bind("hostnameport=plain.test:" + std::to_string(port), fe.import("plain.test"));
    fe.bind("hostnameport=noh2.test:" + std::to_string(port), fe.import("noh2.test"), {"disablehttp2=enable"});
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    const std::string get = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    const auto h1 = tls_connect("127.0.0.1", port, {"plain.test", nullptr, 0, get}, {"h2", "http/1.1"});
    REQUIRE(h1.handshake);
    CHECK(h1.alpn == "http/1.1");  // h2 is offered by the client; serve has no HTTP/2 session to choose it for
    CHECK(h1.answer.find("ALPN:        http/1.1") != std::string::npos);
    CHECK(h1.answer.find("HTTP/2:      allowed by the binding") != std::string::npos);

    const auto unknown = tls_connect("127.0.0.1", port, {"plain.test", nullptr, 0, get}, {"spdy/3", "imap"});
    REQUIRE(unknown.handshake);  // no match: no ALPN, and the connection goes on
    CHECK(unknown.alpn.empty());
    CHECK(unknown.answer.find("ALPN:        (none)") != std::string::npos);

    const auto none = tls_connect("127.0.0.1", port, {"plain.test", nullptr, 0, get});
    REQUIRE(none.handshake);
    CHECK(none.alpn.empty());
    CHECK(none.answer.starts_with("HTTP/1.1 200 OK"));

    const auto disabled = tls_connect("127.0.0.1", port, {"noh2.test", nullptr, 0, get}, {"http/1.1"});
    REQUIRE(disabled.handshake);
    CHECK(disabled.alpn == "http/1.1");
    CHECK(disabled.answer.find("HTTP/2:      disabled by the binding (disablehttp2)") != std::string::npos);
    CHECK(disabled.answer.find("Binding:     hostnameport=noh2.test:" + std::to_string(port)) != std::string::npos);
    CHECK(server.stop() == 0);
  }

  TEST_CASE("a malformed server_name gets decode_error, a name that is no host name unrecognized_name") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    fe.bind("ipport=0.0.0.0:" + std::to_string(port), fe.import("any.test"));
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    constexpr int kDecodeError = 50;
    constexpr int kUnrecognizedName = 112;
    const std::string good = sni_entry(0, "any.test");
    const std::vector<std::pair<std::string, std::string>> malformed{
        {"an empty list", u16(0)},
        {"a list length past the extension", u16(good.size()) + good.substr(2)},
        {"an entry cut short", good.substr(0, good.size() - 2)},
        {"a byte past the list", good + "x"},
        {"an empty host_name", sni_entry(0, "")},
        {"a name type that is not host_name", sni_entry(1, "any.test")},
        {"two host_names", u16(2 * (good.size() - 2)) + good.substr(2) + good.substr(2)},
        {"a body of one byte", std::string(1, '\0')},
    };
    for (const auto& form : malformed) {
      const std::string& what = form.first;  // a named variable: clang 14 cannot CAPTURE a structured binding
      CAPTURE(what);
      CHECK(fatal_alert(answer_to_client_hello(port, form.second)) == kDecodeError);
    }
    for (const std::string name : {"a b.test", "caf\xc3\xa9.test", ".", "a.."}) {
      CAPTURE(name);
      CHECK(fatal_alert(answer_to_client_hello(port, sni_entry(0, name))) == kUnrecognizedName);
    }
    // The same hello with a well-formed name is answered with a ServerHello, not an alert.
    const std::string served = answer_to_client_hello(port, good);
    REQUIRE_FALSE(served.empty());
    CHECK_MESSAGE(served[0] == '\x16', fatal_alert(served));
    // Each is counted (serve's start-up probe may add one that sent nothing).
    CHECK(fe.status()["connections"]["failures"]["badClientHello"].get<std::size_t>() >= malformed.size() + 4);
    CHECK(server.stop() == 0);
  }

  TEST_CASE("SIGTERM: no new connections, the open one is served until it closes, then exit 0") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string cert = fe.import("drain.test");
    fe.bind("ipport=0.0.0.0:" + std::to_string(port), cert);
    // A binding on an address that is not this machine's is reported once and serving goes on.
    fe.bind("ipport=192.0.2.1:" + std::to_string(port), cert);
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    {
      TlsConnection open("127.0.0.1", port, "drain.test");
      REQUIRE(open.ok());
      ::kill(server.pid(), SIGTERM);
      CHECK(eventually([&] { return !accepts("127.0.0.1", port); }, 2000));
      CHECK(header(open.get("drain.test"), "X-Sslbind-Certificate") == cert);
      CHECK(::kill(server.pid(), 0) == 0);  // still draining
    }
    CHECK(server.stop() == 0);  // the last connection closed: the drain ends
    const std::string log = server.log();
    // The open connection, and under load perhaps the readiness probe's, whose close the server has not seen yet.
    const auto draining = log.find("SIGTERM: no new connections; draining ");
    REQUIRE(draining != std::string::npos);
    CHECK(log.substr(draining + 38, 2) != "0 ");
    const auto listen_reports = [&] {
      std::size_t n = 0;
      for (auto at = log.find("cannot listen on 192.0.2.1:"); at != std::string::npos;
           at = log.find("cannot listen on 192.0.2.1:", at + 1)) {
        ++n;
      }
      return n;
    }();
    CHECK(listen_reports == 1);
  }
}

TEST_SUITE("serve") {
  TEST_CASE("CCS folder changes: a new file is served, a replaced one is read again, a removed one falls through") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string fallback = fe.import("fallback.test");
    fe.bind("ipport=0.0.0.0:" + std::to_string(port), fallback);
    fe.bind("ccs=" + std::to_string(port), "");
    REQUIRE(fe.sslbind({"add", "ccs", "location=" + fe.ccs.string()}).exit_code == 0);
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    const TlsOptions shop{"shop.contoso.com", nullptr, 0, ""};
    CHECK(tls_connect("127.0.0.1", port, shop).thumbprint == fallback);
    const std::string first = fe.ccs_file("shop.contoso.com.pfx", "shop.contoso.com");
    CHECK(eventually([&] { return tls_connect("127.0.0.1", port, shop).thumbprint == first; }));
    // Replaced the way a deployment does it: written aside, renamed over the old file.
    const std::string second = fe.ccs_file("shop.contoso.com.pfx.new", "shop.contoso.com");
    std::filesystem::rename(fe.ccs / "shop.contoso.com.pfx.new", fe.ccs / "shop.contoso.com.pfx");
    CHECK(eventually([&] { return tls_connect("127.0.0.1", port, shop).thumbprint == second; }));
    std::filesystem::remove(fe.ccs / "shop.contoso.com.pfx");
    CHECK(eventually([&] { return tls_connect("127.0.0.1", port, shop).thumbprint == fallback; }));
    CHECK(server.stop() == 0);
  }
}

TEST_SUITE("serve") {
  TEST_CASE("a migration: every missing certificate named in one run, allowed in, then certificate-missing") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string present = fe.import("present.test");
    const std::string absent1 = "0102030405060708090a0b0c0d0e0f1011121314";
    const std::string absent2 = "1102030405060708090a0b0c0d0e0f1011121314";
    const std::string p = std::to_string(port);
    write_file(fe.files.path() / "bindings.txt",
               "add sslcert hostnameport=present.test:" + p + " certhash=" + present + " appid=" + kAppId +
                   " certstorename=MY\n"
                   "add sslcert hostnameport=one.test:" +
                   p + " certhash=" + absent1 + " appid=" + kAppId +
                   " certstorename=MY\n"
                   "add sslcert hostnameport=two.test:" +
                   p + " certhash=" + absent2 + " appid=" + kAppId + " certstorename=WebHosting\n");
    const std::string script = (fe.files.path() / "bindings.txt").string();
    const std::string before = fe.sslbind.registry();
    for (const auto& dry : {std::vector<std::string>{}, std::vector<std::string>{"--dry-run"}}) {
      std::vector<std::string> args = dry;
      args.insert(args.end(), {"-f", script});
      const auto r = fe.sslbind(args);
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("2 certificates are not usable in their stores") != std::string::npos);
      CHECK(r.err.find("line 2: certificate " + absent1 + " is not in store MY") != std::string::npos);
      CHECK(r.err.find("line 3: certificate " + absent2 + " is not in store WebHosting") != std::string::npos);
      CHECK(fe.sslbind.registry() == before);
    }
    auto r = fe.sslbind({"--json", "--missing-certificates=allow", "-f", script});
    REQUIRE(r.exit_code == 0);
    const auto out = nlohmann::json::parse(r.out);
    CHECK(out["created"] == 3);
    REQUIRE(out["missingCertificates"].size() == 2);
    CHECK(out["missingCertificates"][0]["line"] == 2);
    CHECK(out["missingCertificates"][0]["thumbprint"] == absent1);
    CHECK(out["missingCertificates"][1]["store"] == "WebHosting");
    CHECK(fe.sslbind({"--missing-certificates=maybe", "-f", script}).exit_code == 2);

    CHECK(fe.sslbind({"check"}).out.find("[certificate-missing]") != std::string::npos);
    CHECK(fe.sslbind({"resolve", "ipport=127.0.0.1:" + p, "hostname=one.test"}).out.find("(Error 1312)") !=
          std::string::npos);
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    CHECK(tls_connect("127.0.0.1", port, {"present.test", nullptr, 0, ""}).thumbprint == present);
    CHECK_FALSE(tls_connect("127.0.0.1", port, {"one.test", nullptr, 0, ""}).handshake);
    CHECK(eventually([&] { return fe.status()["connections"]["failures"]["certificateMissing"] == 1; }, 2000));
  }
}

namespace {

// A client that offers TLS `from` to `to` and, below TLS 1.3, the `ciphers` (OpenSSL's list, at security level 0).
TlsResult offer(std::uint16_t port, int from, int to, const std::string& ciphers = "", const char* sni = nullptr) {
  TlsOptions options;
  if (sni != nullptr) options.sni = sni;
  options.max_version = to;
  return tls_connect("127.0.0.1", port, options, {}, TlsOffer{from, ciphers});
}

}  // namespace

TEST_SUITE("serve") {
  // The machine-wide policy (Schannel's, as Mozilla's profiles): intermediate by default, set live, and the bindings'
  // own options narrow it, never widen it.
  TEST_CASE("the TLS policy: intermediate by default, profiles applied live, binding options only narrow it") {
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::string cert = fe.import("policy.test");
    fe.bind("ipport=0.0.0.0:" + std::to_string(port), cert);
    fe.bind("hostnameport=modern.test:" + std::to_string(port), cert, {"disablelegacytls=enable"});
    fe.bind("hostnameport=pinned.test:" + std::to_string(port), cert, {"disabletls13=enable"});
    auto server = fe.serve(port);
    REQUIRE(server.ok());
    // Intermediate: TLS 1.2 and 1.3, ECDHE and DHE with AEAD only.
    CHECK(offer(port, 0, 0).version == "TLSv1.3");
    CHECK(offer(port, 0, TLS1_2_VERSION, "ECDHE-RSA-AES128-GCM-SHA256").cipher == "ECDHE-RSA-AES128-GCM-SHA256");
    CHECK(offer(port, 0, TLS1_2_VERSION, "DHE-RSA-AES256-GCM-SHA384").cipher == "DHE-RSA-AES256-GCM-SHA384");
    CHECK_FALSE(offer(port, 0, TLS1_2_VERSION, "AES128-GCM-SHA256").handshake);     // static RSA
    CHECK_FALSE(offer(port, 0, TLS1_2_VERSION, "ECDHE-RSA-AES128-SHA").handshake);  // CBC with SHA-1
    CHECK_FALSE(offer(port, TLS1_VERSION, TLS1_1_VERSION, "ALL:@SECLEVEL=0").handshake);

    REQUIRE(fe.sslbind({"set", "tlspolicy", "profile=old"}).exit_code == 0);
    CHECK(eventually([&] { return offer(port, TLS1_VERSION, TLS1_VERSION, "AES128-SHA").handshake; }, 3000));
    CHECK(offer(port, TLS1_VERSION, TLS1_1_VERSION, "ECDHE-RSA-AES256-SHA").version == "TLSv1.1");
    // disablelegacytls narrows old to TLS 1.2 and up for its binding alone.
    CHECK_FALSE(offer(port, TLS1_VERSION, TLS1_1_VERSION, "AES128-SHA", "modern.test").handshake);
    CHECK(offer(port, TLS1_VERSION, TLS1_2_VERSION, "AES128-SHA", "modern.test").version == "TLSv1.2");

    REQUIRE(fe.sslbind({"set", "tlspolicy", "profile=modern"}).exit_code == 0);
    CHECK(eventually([&] { return !offer(port, 0, TLS1_2_VERSION, "ECDHE-RSA-AES128-GCM-SHA256").handshake; }, 3000));
    CHECK(offer(port, 0, 0).version == "TLSv1.3");
    // disablelegacytls does not widen modern to TLS 1.2; disabletls13 leaves the binding nothing to offer.
    CHECK_FALSE(offer(port, 0, TLS1_2_VERSION, "ECDHE-RSA-AES128-GCM-SHA256", "modern.test").handshake);
    CHECK_FALSE(offer(port, 0, 0, "", "pinned.test").handshake);

    // A custom policy: TLS 1.2 alone, one cipher, the server's order.
    REQUIRE(fe.sslbind({"set", "tlspolicy", "profile=intermediate", "protocols=TLSv1.2",
                        "ciphers=ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384", "preference=server"})
                .exit_code == 0);
    CHECK(eventually([&] { return offer(port, 0, 0).version == "TLSv1.2"; }, 3000));
    CHECK(offer(port, 0, 0, "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305").cipher ==
          "ECDHE-RSA-CHACHA20-POLY1305");
    CHECK(server.stop() == 0);
  }
}
