// OCSP stapling as HTTP.SYS does it, against `openssl ocsp` as the responder on loopback and a test CA: IP bindings
// staple, SNI bindings only once the machine says so, disableocspstapling stops it, a restart staples from disk while
// the responder is down, and a response that is badly signed or outlives its certificate is never stapled.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>

#include <ctime>
#include <fstream>
#include <map>
#include <thread>

#include "tests/e2e/front_end.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tests/support/process.hpp"
#include "tests/support/tls_client.hpp"

using namespace sslbind::test;

namespace {

// A CA and certificates it issued that name the responder at 127.0.0.1:`responder_port`.
struct TestCa {
  TempDir dir;
  std::uint16_t responder_port = free_port();
  std::filesystem::path ca = dir.path() / "ca.pem";
  std::filesystem::path ca_key = dir.path() / "ca.key";
  std::filesystem::path index = dir.path() / "index.txt";

  TestCa() {
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key.string(), "-out", ca.string(), "-subj",
             "/CN=sslbind test CA", "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
             "keyUsage=critical,keyCertSign,cRLSign"});
    write_file(index, "");
    write_file(dir.path() / "index.txt.attr", "unique_subject = no\n");
  }

  // A leaf for `host`, valid `days`, in one PEM with its key and the CA (the chain that names the issuer).
  std::filesystem::path issue(const std::string& host, int days) {
    const auto key = dir.path() / (host + ".key");
    const auto csr = dir.path() / (host + ".csr");
    const auto pem = dir.path() / (host + ".pem");
    const auto ext = dir.path() / (host + ".ext");
    write_file(ext, "authorityInfoAccess=OCSP;URI:http://127.0.0.1:" + std::to_string(responder_port) +
                        "\nsubjectAltName=DNS:" + host + "\nbasicConstraints=CA:FALSE\n");
    openssl({"req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.string(), "-out", csr.string(), "-subj",
             "/CN=" + host});
    openssl({"x509", "-req", "-in", csr.string(), "-CA", ca.string(), "-CAkey", ca_key.string(), "-CAcreateserial",
             "-out", pem.string(), "-days", std::to_string(days), "-extfile", ext.string()});
    // The responder's index: valid, with its serial and expiry, as `openssl ca` writes it.
    const auto serial = run_process({"/usr/bin/openssl", "x509", "-in", pem.string(), "-noout", "-serial"}).out;
    const auto end = run_process({"/usr/bin/openssl", "x509", "-in", pem.string(), "-noout", "-enddate"}).out;
    std::tm tm{};
    strptime(end.substr(end.find('=') + 1).c_str(), "%b %d %H:%M:%S %Y", &tm);
    char expiry[16];
    std::strftime(expiry, sizeof expiry, "%y%m%d%H%M%SZ", &tm);
    std::ofstream(index, std::ios::app) << "V\t" << expiry << "\t\t"
                                        << serial.substr(serial.find('=') + 1, serial.find('\n') - serial.find('=') - 1)
                                        << "\tunknown\t/CN=" << host << "\n";
    write_file(pem, read_file(pem) + read_file(key) + read_file(ca));
    return pem;
  }

  // `openssl ocsp` answering for the CA, its responses signed by `signer` (the CA itself unless given) and valid
  // `days`. Returns its pid; stop() ends it.
  pid_t respond(int days = 1, std::optional<std::pair<std::filesystem::path, std::filesystem::path>> signer = {}) {
    const auto [cert, key] = signer.value_or(std::pair{ca, ca_key});
    const auto log = dir.path() / ("responder-" + std::to_string(++responders) + ".log");
    const pid_t pid = spawn_process(
        {"/usr/bin/openssl", "ocsp", "-index", index.string(), "-port", std::to_string(responder_port), "-rsigner",
         cert.string(), "-rkey", key.string(), "-CA", ca.string(), "-ndays", std::to_string(days)},
        log.string());
    // Not probed with a connection: `openssl ocsp` serves one client at a time and waits on one that sends nothing.
    eventually([&] { return read_file(log).find("waiting for OCSP client connections") != std::string::npos; }, 5000);
    return pid;
  }
  int responders = 0;
  static void stop(pid_t pid) {
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
  }
};

std::string stapled(std::uint16_t port, const char* sni = nullptr) {
  TlsOptions options;
  if (sni != nullptr) options.sni = sni;
  TlsOffer offer;
  offer.request_status = true;
  return tls_connect("127.0.0.1", port, options, {}, offer).ocsp;
}

nlohmann::json ocsp_entry(FrontEnd& fe, const std::string& thumbprint) {
  const nlohmann::json status = fe.status();
  for (const auto& e : status["ocsp"]) {
    if (e["certhash"] == thumbprint) return e;
  }
  return nullptr;
}

}  // namespace

TEST_SUITE("serve") {
  TEST_CASE("OCSP stapling: IP bindings staple, SNI once the machine says so, disableocspstapling never") {
    TestCa ca;
    FrontEnd fe;
    const std::string ip = fe.import_file(ca.issue("ip.test", 10));
    const std::string sni = fe.import_file(ca.issue("sni.test", 10));
    const std::string off = fe.import_file(ca.issue("off.test", 10));
    const std::uint16_t port = free_port(), sni_port = free_port(), off_port = free_port();
    fe.bind("ipport=127.0.0.1:" + std::to_string(port), ip);
    fe.bind("hostnameport=sni.test:" + std::to_string(sni_port), sni);
    fe.bind("ipport=127.0.0.1:" + std::to_string(off_port), off, {"disableocspstapling=enable"});
    const pid_t responder = ca.respond();
    const std::uint16_t metrics_port = free_port();
    {
      auto server = fe.serve(port, {"metrics=" + std::to_string(metrics_port)});
      REQUIRE(server.ok());
      // The first handshake asks for the response; the next ones staple it.
      CHECK(eventually([&] { return !stapled(port).empty(); }, 5000));
      const auto entry = ocsp_entry(fe, ip);
      CHECK(entry["stapled"] == true);
      CHECK(entry["responder"] == "http://127.0.0.1:" + std::to_string(ca.responder_port));
      CHECK(std::filesystem::exists(fe.sslbind.root.path() / "ocsp" / (ip + ".der")));
      const auto metrics =
          run_process({"/usr/bin/curl", "-sS", "http://127.0.0.1:" + std::to_string(metrics_port) + "/metrics"}).out;
      CHECK(metrics.find("sslbind_ocsp_stapled{certhash=\"" + ip + "\"} 1\n") != std::string::npos);
      CHECK(metrics.find("sslbind_ocsp_fetch_failures_total{certhash=\"" + ip + "\"} 0\n") != std::string::npos);
      // SNI bindings: not until EnableOcspStaplingForSni's equivalent is on.
      CHECK(stapled(sni_port, "sni.test").empty());
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      CHECK(stapled(sni_port, "sni.test").empty());
      CHECK(ocsp_entry(fe, sni).is_null());  // never asked for
      REQUIRE(fe.sslbind({"set", "tlspolicy", "ocspstaplingforsni=enable"}).exit_code == 0);
      CHECK(eventually([&] { return !stapled(sni_port, "sni.test").empty(); }, 5000));
      // disableocspstapling wins, whatever the machine says.
      CHECK(stapled(off_port).empty());
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      CHECK(stapled(off_port).empty());
      CHECK(server.stop() == 0);
    }
    // A restart staples from disk while the responder is away.
    TestCa::stop(responder);
    auto again = fe.serve(port);
    REQUIRE(again.ok());
    CHECK(eventually([&] { return !stapled(port).empty(); }, 5000));
    CHECK(ocsp_entry(fe, ip)["fetches"] == 0);
    CHECK(again.stop() == 0);
  }

  TEST_CASE("OCSP stapling: a response signed by another key, or valid past the certificate, is never stapled") {
    TestCa ca;
    FrontEnd fe;
    const std::string brief = fe.import_file(ca.issue("brief.test", 1));  // expires before the response does
    const std::string rogue_signed = fe.import_file(ca.issue("rogue.test", 10));
    const std::uint16_t port = free_port(), rogue_port = free_port();
    fe.bind("ipport=127.0.0.1:" + std::to_string(port), brief);
    fe.bind("ipport=127.0.0.1:" + std::to_string(rogue_port), rogue_signed);
    auto server = fe.serve(port);
    REQUIRE(server.ok());

    pid_t responder = ca.respond(7);
    CHECK(stapled(port).empty());
    CHECK(eventually([&] { return ocsp_entry(fe, brief)["failures"].get<int>() >= 1; }, 5000));
    CHECK(ocsp_entry(fe, brief)["problem"] ==
          "the OCSP response is valid past the certificate's expiry (its nextUpdate is later than notAfter)");
    CHECK(stapled(port).empty());
    TestCa::stop(responder);

    const auto rogue_cert = ca.dir.path() / "rogue-signer.pem", rogue_key = ca.dir.path() / "rogue-signer.key";
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", rogue_key.string(), "-out",
             rogue_cert.string(), "-subj", "/CN=not the CA", "-days", "30"});
    responder = ca.respond(1, std::pair{rogue_cert, rogue_key});
    CHECK(stapled(rogue_port).empty());
    CHECK(eventually([&] { return ocsp_entry(fe, rogue_signed)["failures"].get<int>() >= 1; }, 5000));
    CHECK(ocsp_entry(fe, rogue_signed)["problem"] ==
          "the OCSP response is not signed by the certificate's issuer or its responder");
    CHECK(stapled(rogue_port).empty());
    CHECK_FALSE(std::filesystem::exists(fe.sslbind.root.path() / "ocsp" / (rogue_signed + ".der")));
    TestCa::stop(responder);
    CHECK(server.stop() == 0);
  }
}

// check: a Must-Staple certificate where serve will not staple is an error (browsers that honour it refuse the site).
TEST_CASE("check reports a Must-Staple certificate that serve cannot staple") {
  TempDir dir;
  const auto with_responder = dir.path() / "staple.pem", without = dir.path() / "nourl.pem";
  for (const auto& [pem, aia] : {std::pair{with_responder, true}, std::pair{without, false}}) {
    const auto key = dir.path() / "key.pem";
    std::vector<std::string> args{"req",
                                  "-x509",
                                  "-newkey",
                                  "rsa:2048",
                                  "-nodes",
                                  "-keyout",
                                  key.string(),
                                  "-out",
                                  pem.string(),
                                  "-subj",
                                  "/CN=must.test",
                                  "-days",
                                  "30",
                                  "-addext",
                                  "tlsfeature=status_request",
                                  "-addext",
                                  "subjectAltName=DNS:must.test"};
    if (aia) args.insert(args.end(), {"-addext", "authorityInfoAccess=OCSP;URI:http://127.0.0.1:9/"});
    openssl(args);
    write_file(pem, read_file(pem) + read_file(key));
  }
  FrontEnd fe;
  const std::string staple = fe.import_file(with_responder), nourl = fe.import_file(without);
  fe.bind("ipport=127.0.0.1:8443", staple);
  fe.bind("hostnameport=must.test:8443", staple);
  fe.bind("ipport=127.0.0.2:8443", staple, {"disableocspstapling=enable"});
  fe.bind("ipport=127.0.0.3:8443", nourl);
  const auto findings = [&] {
    std::map<std::string, std::string> out;
    const nlohmann::json report = nlohmann::json::parse(fe.sslbind({"--json", "check"}).out);
    for (const auto& f : report["findings"]) {
      if (f["rule"] == "must-staple-without-staple") out[f["subject"]] = f["message"];
    }
    return out;
  };
  auto found = findings();
  CHECK_FALSE(found.contains("ipport=127.0.0.1:8443"));  // an IP binding staples
  CHECK(found["hostnameport=must.test:8443"].find("ocspstaplingforsni=enable") != std::string::npos);
  CHECK(found["ipport=127.0.0.2:8443"].find("the binding has disableocspstapling") != std::string::npos);
  CHECK(found["ipport=127.0.0.3:8443"].find("it names no OCSP responder") != std::string::npos);
  CHECK(fe.sslbind({"check"}).exit_code == 1);
  REQUIRE(fe.sslbind({"set", "tlspolicy", "ocspstaplingforsni=enable"}).exit_code == 0);
  CHECK_FALSE(findings().contains("hostnameport=must.test:8443"));
}
