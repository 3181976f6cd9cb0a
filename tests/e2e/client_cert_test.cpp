// Client certificates as HTTP.SYS and ARR handle them, with curl and openssl s_client as the clients: a binding with
// clientcertnegotiation judges the certificate against the store its sslctlstorename names and the CRL its
// distribution point names (served on loopback), answers a refused one 403, and passes a trusted one to the web worker
// as X-ARR-ClientCert and RFC 9440's Client-Cert and Client-Cert-Chain; a client's forged copies never get there.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/front_end.hpp"
#include "tests/support/http_backend.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tests/support/process.hpp"
#include "tests/support/recording_worker.hpp"
#include "tests/support/tls_client.hpp"

using namespace sslbind::test;

namespace {

// A root CA, an intermediate below it that issues client certificates naming its CRL at `crl_url`, and `openssl ca`'s
// database for revoking them.
struct ClientPki {
  TempDir dir;
  std::filesystem::path root = dir.path() / "root.pem", root_key = dir.path() / "root.key";
  std::filesystem::path issuer = dir.path() / "issuer.pem", issuer_key = dir.path() / "issuer.key";
  std::filesystem::path config = dir.path() / "ca.cnf";

  ClientPki() {
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", root_key.string(), "-out", root.string(),
             "-subj", "/CN=sslbind client root", "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
    write_file(dir.path() / "issuer.ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
    sign("/CN=sslbind client issuing CA", issuer, issuer_key, root, root_key, dir.path() / "issuer.ext");
    write_file(dir.path() / "index.txt", "");
    write_file(dir.path() / "crlnumber", "01\n");
    write_file(config, "[ca]\ndefault_ca = issuing\n[issuing]\ndatabase = " + (dir.path() / "index.txt").string() +
                           "\ncrlnumber = " + (dir.path() / "crlnumber").string() +
                           "\ndefault_md = sha256\ndefault_crl_days = 1\n");
  }

  void sign(const std::string& subject, const std::filesystem::path& pem, const std::filesystem::path& key,
            const std::filesystem::path& ca, const std::filesystem::path& ca_key, const std::filesystem::path& ext) {
    const auto csr = dir.path() / "request.csr";
    openssl({"req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.string(), "-out", csr.string(), "-subj", subject});
    openssl({"x509", "-req", "-in", csr.string(), "-CA", ca.string(), "-CAkey", ca_key.string(), "-CAcreateserial",
             "-out", pem.string(), "-days", "10", "-extfile", ext.string()});
  }

  // A client certificate from the issuing CA naming `crl_url` (none when empty); returns its PEM (the key beside it
  // as <name>.key, and <name>-chain.pem with the issuing CA after it, as a client sends it).
  std::filesystem::path client(const std::string& name, const std::string& crl_url,
                               const std::string& usage = "clientAuth") {
    const auto pem = dir.path() / (name + ".pem"), key = dir.path() / (name + ".key");
    const auto ext = dir.path() / (name + ".ext");
    write_file(ext, "basicConstraints=CA:FALSE\nextendedKeyUsage=" + usage + "\n" +
                        (crl_url.empty() ? "" : "crlDistributionPoints=URI:" + crl_url + "\n"));
    sign("/CN=" + name, pem, key, issuer, issuer_key, ext);
    write_file(dir.path() / (name + "-chain.pem"), read_file(pem) + read_file(issuer));
    return pem;
  }
  void revoke(const std::filesystem::path& pem) {
    openssl({"ca", "-config", config.string(), "-revoke", pem.string(), "-keyfile", issuer_key.string(), "-cert",
             issuer.string()});
  }
  // The issuing CA's CRL as DER.
  std::string crl() {
    const auto pem = dir.path() / "issuer.crl.pem", der = dir.path() / "issuer.crl";
    openssl({"ca", "-config", config.string(), "-gencrl", "-keyfile", issuer_key.string(), "-cert", issuer.string(),
             "-out", pem.string()});
    openssl({"crl", "-in", pem.string(), "-outform", "DER", "-out", der.string()});
    return read_file(der);
  }
  // What X-ARR-ClientCert carries: the DER in base64 on one line.
  static std::string der_base64(const std::filesystem::path& pem) {
    return run_process({"/bin/sh", "-c", "openssl x509 -in '" + pem.string() + "' -outform DER | base64 -w0"}).out;
  }
};

// A front end with the binding mtls.test:<port> asking for client certificates trusted by the store ClientCAs, and a
// farm that sends every host to `backend`.
struct MutualTls {
  FrontEnd fe;
  std::uint16_t port = free_port();
  std::string thumbprint = fe.import("mtls.test");
  std::optional<ServeProcess> server;

  MutualTls(const ClientPki& pki, const std::string& backend, std::vector<std::string> options = {}) {
    const auto trusted = fe.sslbind({"add", "cert", "file=" + pki.root.string(), "certstorename=ClientCAs"});
    REQUIRE_MESSAGE(trusted.exit_code == 0, trusted.err);
    options.insert(options.begin(), {"clientcertnegotiation=enable", "sslctlstorename=ClientCAs"});
    fe.bind("hostnameport=mtls.test:" + std::to_string(port), thumbprint, options);
    REQUIRE(fe.sslbind({"add", "webfarm", "name=www", "server=" + backend}).exit_code == 0);
    REQUIRE(fe.sslbind({"add", "route", "host=*", "webfarm=www"}).exit_code == 0);
    server.emplace(SSLBIND_BINARY, fe.sslbind.root.path(), port, fe.serve_arguments({}));
    REQUIRE(server->ok());
  }
  // curl sending the certificate in `chain` (PEM, the leaf first) with `key`; none when `chain` is empty: the body,
  // then the status.
  ProcessResult curl(const std::filesystem::path& chain, const std::filesystem::path& key,
                     std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{"/usr/bin/curl",
                                  "-sk",
                                  "--max-time",
                                  "20",
                                  "--resolve",
                                  "mtls.test:" + std::to_string(port) + ":127.0.0.1",
                                  "-w",
                                  "\n%{http_code}"};
    if (!chain.empty()) argv.insert(argv.end(), {"--cert", chain.string(), "--key", key.string()});
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back("https://mtls.test:" + std::to_string(port) + "/echo");
    return run_process(argv);
  }
  // The same for a client of `pki`, sent with its issuing CA.
  ProcessResult curl(const ClientPki& pki, const std::string& name, std::vector<std::string> extra = {}) {
    return curl(pki.dir.path() / (name + "-chain.pem"), pki.dir.path() / (name + ".key"), std::move(extra));
  }
  // update sslcert sets every option anew, as netsh's does: the binding's own, then `options`.
  void update(const std::vector<std::string>& options) {
    std::vector<std::string> args{"update",
                                  "sslcert",
                                  "hostnameport=mtls.test:" + std::to_string(port),
                                  "appid=" + kAppId,
                                  "certhash=" + thumbprint,
                                  "certstorename=MY",
                                  "clientcertnegotiation=enable",
                                  "sslctlstorename=ClientCAs"};
    args.insert(args.end(), options.begin(), options.end());
    const auto r = fe.sslbind(args);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }
  nlohmann::json failures() { return fe.status()["connections"]["failures"]; }
};

std::string status_of(const ProcessResult& r) { return r.out.substr(r.out.rfind('\n') + 1); }

std::string crl_answer(const std::string& der) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\nContent-Length: " + std::to_string(der.size()) +
         "\r\nConnection: close\r\n\r\n" + der;
}

}  // namespace

TEST_SUITE("serve: client certificates") {
  TEST_CASE("a trusted certificate reaches the web worker as ARR's and RFC 9440's fields, forged copies do not") {
    ClientPki pki;
    RecordingWorker crl_server;
    const std::string crl_url = "http://" + crl_server.address() + "/issuer.crl";
    const auto alice = pki.client("alice", crl_url);
    const auto carol = pki.client("carol", "");  // names no CRL: nothing to check
    crl_server.script(crl_answer(pki.crl()), true);
    HttpBackend backend;
    MutualTls mtls(pki, backend.address());

    const auto r = mtls.curl(pki, "alice",
                             {"-H", "X-ARR-ClientCert: forged", "-H", "Client-Cert: :Zm9yZ2Vk:", "-H",
                              "Client-Cert-Chain: :Zm9yZ2Vk:", "-H", "X-Arr-ClientCert: forged"});
    REQUIRE(status_of(r) == "200");
    const std::string alice_der = ClientPki::der_base64(alice), issuer_der = ClientPki::der_base64(pki.issuer);
    CHECK(header(r.out, "X-ARR-ClientCert") == alice_der);
    CHECK(header(r.out, "Client-Cert") == ":" + alice_der + ":");
    CHECK(header(r.out, "Client-Cert-Chain") == ":" + issuer_der + ":");
    CHECK(r.out.find("forged") == std::string::npos);
    CHECK(r.out.find("Zm9yZ2Vk") == std::string::npos);
    CHECK(crl_server.connections() == 1);  // fetched once, then cached

    // openssl s_client: the same fields, and the CRL from the cache.
    const auto request = pki.dir.path() / "request.txt";
    write_file(request, "GET /echo HTTP/1.1\r\nHost: mtls.test\r\nConnection: close\r\n\r\n");
    auto s_client = [&](bool with_issuer) {
      const std::string chain = with_issuer ? " -cert_chain '" + pki.issuer.string() + "'" : "";
      return run_process({"/bin/sh", "-c",
                          "timeout 20 openssl s_client -quiet -connect 127.0.0.1:" + std::to_string(mtls.port) +
                              " -servername mtls.test -CAfile '" + pki.root.string() + "' -cert '" + alice.string() +
                              "'" + chain + " -key '" + (pki.dir.path() / "alice.key").string() + "' < '" +
                              request.string() + "'"});
    };
    const auto sent = s_client(true);
    INFO(sent.err);
    CHECK(sent.out.starts_with("HTTP/1.1 200 OK"));
    CHECK(header(sent.out, "X-ARR-ClientCert") == alice_der);
    CHECK(header(sent.out, "Client-Cert-Chain") == ":" + issuer_der + ":");
    CHECK(crl_server.connections() == 1);
    // Without its issuer the chain cannot reach the trusted root: 403, as HTTP.SYS cannot build it either.
    CHECK(s_client(false).out.starts_with("HTTP/1.1 403 Forbidden"));

    // Over HTTP/2 the same fields reach the worker: every stream's exchange has the connection's verdict.
    const auto h2 = mtls.curl(pki, "alice", {"--http2", "-w", "\n%{http_code} %{http_version}"});
    CHECK(status_of(h2) == "200 2");
    CHECK(header(h2.out, "X-ARR-ClientCert") == alice_der);

    // A certificate without a distribution point is trusted by its chain alone.
    const auto c = mtls.curl(pki, "carol");
    CHECK(status_of(c) == "200");
    CHECK(header(c.out, "X-ARR-ClientCert") == ClientPki::der_base64(carol));

    // No certificate: served, with no certificate fields, and a forged one removed.
    const auto none = mtls.curl(std::filesystem::path(), std::filesystem::path(), {"-H", "X-ARR-ClientCert: forged"});
    CHECK(status_of(none) == "200");
    CHECK(none.out.find("X-ARR-ClientCert") == std::string::npos);
    CHECK(none.out.find("forged") == std::string::npos);
    const auto status = mtls.fe.status()["clientCertificates"];
    CHECK(status["trustedLists"][0]["store"] == "ClientCAs");
    CHECK(status["trustedLists"][0]["certificates"] == 1);
    CHECK(status["crls"][0]["url"] == crl_url);
    CHECK(status["crls"][0]["fetches"] == 1);
    CHECK(mtls.server->stop() == 0);
  }

  TEST_CASE("untrusted, revoked, of unknown revocation status or of the wrong usage: 403, and no web worker sees it") {
    ClientPki pki;
    RecordingWorker crl_server;
    const std::string crl_url = "http://" + crl_server.address() + "/issuer.crl";
    const auto bob = pki.client("bob", crl_url);
    pki.client("alice", crl_url);
    pki.client("server-only", "", "serverAuth");
    pki.revoke(bob);
    crl_server.script(crl_answer(pki.crl()), true);
    // Names a location where nothing answers.
    const std::uint16_t dead = free_port();
    pki.client("dave", "http://127.0.0.1:" + std::to_string(dead) + "/issuer.crl");
    // From a CA the store does not hold.
    TempDir other;
    const auto mallory = other.path() / "mallory.pem", mallory_key = other.path() / "mallory.key";
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", mallory_key.string(), "-out", mallory.string(),
             "-subj", "/CN=mallory", "-days", "10"});
    HttpBackend backend;
    MutualTls mtls(pki, backend.address());

    const auto revoked = mtls.curl(pki, "bob");
    CHECK(status_of(revoked) == "403");
    CHECK(revoked.out.find("not trusted, not valid, or revoked") != std::string::npos);
    CHECK(mtls.failures()["clientCertificateRevoked"] == 1);

    CHECK(status_of(mtls.curl(mallory, mallory_key)) == "403");
    CHECK(status_of(mtls.curl(pki, "dave")) == "403");         // the CRL cannot be had
    CHECK(status_of(mtls.curl(pki, "server-only")) == "403");  // not for client authentication
    CHECK(mtls.failures()["clientCertificateUntrusted"] == 3);
    CHECK(status_of(mtls.curl(pki, "alice")) == "200");
    CHECK(backend.requests().size() == 1);  // alice's alone
    const auto last = mtls.fe.status()["clientCertificates"]["lastRefused"];
    CHECK(last["binding"] == "hostnameport=mtls.test:" + std::to_string(mtls.port));

    // The binding's options: no revocation check lets dave in; no usage check the server-only certificate.
    mtls.update({"verifyclientcertrevocation=disable", "usagecheck=disable"});
    CHECK(eventually([&] { return status_of(mtls.curl(pki, "dave")) == "200"; }, 3000));
    CHECK(status_of(mtls.curl(pki, "server-only")) == "200");
    CHECK(status_of(mtls.curl(pki, "bob")) == "200");  // revocation is not checked now
    CHECK(mtls.server->stop() == 0);
  }

  TEST_CASE("verifyrevocationwithcachedclientcertonly: the CRL kept on disk serves a restart, none is fetched") {
    ClientPki pki;
    RecordingWorker crl_server;
    const std::string crl_url = "http://" + crl_server.address() + "/issuer.crl";
    pki.client("alice", crl_url);
    crl_server.script(crl_answer(pki.crl()), true);
    HttpBackend backend;
    MutualTls mtls(pki, backend.address());
    CHECK(status_of(mtls.curl(pki, "alice")) == "200");
    CHECK(crl_server.connections() == 1);
    CHECK(mtls.server->stop() == 0);

    mtls.update({"verifyrevocationwithcachedclientcertonly=enable"});
    mtls.server.emplace(SSLBIND_BINARY, mtls.fe.sslbind.root.path(), mtls.port, mtls.fe.serve_arguments({}));
    REQUIRE(mtls.server->ok());
    CHECK(status_of(mtls.curl(pki, "alice")) == "200");
    CHECK(crl_server.connections() == 1);  // from <root>/crl, not fetched
    CHECK(mtls.server->stop() == 0);

    // Without the cached copy, a cached-only binding cannot know the status: refused.
    std::filesystem::remove_all(mtls.fe.sslbind.root.path() / "crl");
    mtls.server.emplace(SSLBIND_BINARY, mtls.fe.sslbind.root.path(), mtls.port, mtls.fe.serve_arguments({}));
    REQUIRE(mtls.server->ok());
    CHECK(status_of(mtls.curl(pki, "alice")) == "403");
    CHECK(crl_server.connections() == 1);
    CHECK(mtls.server->stop() == 0);
  }
}
