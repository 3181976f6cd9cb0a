#pragma once
// A front end's root for the serve and proxy tests: certificates imported into MY, bindings, and serve started on it.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/e2e/sslbind_runner.hpp"
#include "tests/support/certificate_factory.hpp"
#include "tests/support/serve_process.hpp"

namespace sslbind::test {

// A front end's root with certificates imported into MY, named by host.
struct FrontEnd {
  Sslbind sslbind{EmptyRoot{}};
  TempDir files;
  std::filesystem::path ccs = files.path() / "ccs";

  FrontEnd() { std::filesystem::create_directories(ccs); }

  std::string import(const std::string& host) {
    const auto pem = files.path() / (host + ".pem");
    const std::string thumbprint = write_pem(pem, host_certificate(host));
    REQUIRE(sslbind({"add", "cert", "file=" + pem.string()}).exit_code == 0);
    return thumbprint;
  }
  // A PEM (certificate, key, chain) made elsewhere, into MY; its thumbprint.
  std::string import_file(const std::filesystem::path& pem) {
    const auto r = sslbind({"--json", "add", "cert", "file=" + pem.string()});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return nlohmann::json::parse(r.out)["certificate"]["certhash"];
  }
  void bind(const std::string& key, const std::string& thumbprint, std::vector<std::string> options = {}) {
    std::vector<std::string> args{"add", "sslcert", key, "appid=" + kAppId};
    if (!thumbprint.empty()) args.push_back("certhash=" + thumbprint);
    if (key.starts_with("hostnameport=")) args.push_back("certstorename=MY");
    args.insert(args.end(), options.begin(), options.end());
    const auto r = sslbind(args);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }
  std::string ccs_file(const std::string& file, const std::string& host) {
    return write_pfx(ccs / file, host_certificate(host), "");
  }
  // serve's arguments: two I/O threads unless `args` says otherwise.
  static std::vector<std::string> serve_arguments(std::vector<std::string> args) {
    const bool threads = std::any_of(args.begin(), args.end(), [](const auto& a) { return a.starts_with("threads="); });
    if (!threads) args.insert(args.begin(), "threads=2");
    return args;
  }
  ServeProcess serve(std::uint16_t port, std::vector<std::string> args = {}) {
    return ServeProcess(SSLBIND_BINARY, sslbind.root.path(), port, serve_arguments(std::move(args)));
  }
  nlohmann::json status() { return nlohmann::json::parse(sslbind({"--json", "show", "frontend"}).out)["frontend"]; }
};

// The value of a header field in an HTTP answer, or "".
inline std::string header(const std::string& answer, const std::string& name) {
  const auto at = answer.find(name + ": ");
  if (at == std::string::npos) return "";
  return answer.substr(at + name.size() + 2, answer.find("\r\n", at) - at - name.size() - 2);
}

}  // namespace sslbind::test
