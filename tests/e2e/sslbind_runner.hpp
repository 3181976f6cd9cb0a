#pragma once
// Runs the real sslbind binary on a temporary root. When the test process runs on etcd (SSLBIND_TEST_ETCD=PORT, set
// by the test main for SSLBIND_TEST_START_ETCD=1), each root's registry is a farm of its own on that etcd; the stores
// stay local.
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/e2e/test_certificates.hpp"
#include "tests/support/etcd_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace sslbind::test {

inline const std::string kAppId = "{4dc3e181-e14b-4a21-b022-59fc669b0914}";

struct EmptyRoot {};

// A temporary root whose stores MY and WebHosting hold both test certificates (or nothing, with EmptyRoot).
class Sslbind {
 public:
  explicit Sslbind(EmptyRoot) { on_etcd_if_asked(); }
  Sslbind() {
    on_etcd_if_asked();
    for (int which : {0, 1}) {
      for (const char* store : {"MY", "WebHosting"}) {
        const auto r =
            (*this)({"add", "cert", "file=" + test_certificate(which).pem, std::string("certstorename=") + store});
        if (r.exit_code != 0) throw std::runtime_error("cannot import a test certificate: " + r.err);
      }
    }
  }

  // The command line every run starts with: the binary, its root, and the farm when the tests run on etcd.
  std::vector<std::string> command_line() const {
    std::vector<std::string> out{SSLBIND_BINARY, "--root", root.str()};
    if (etcd_port != 0) out.push_back("--store=etcd://127.0.0.1:" + std::to_string(etcd_port) + "/" + farm());
    return out;
  }
  ProcessResult operator()(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = command_line();
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv);
  }
  // The registry's whole content, to compare before and after: registry.json, or the farm's keys on etcd.
  std::string registry() const {
    return etcd_port != 0 ? etcd_farm_contents(etcd_port, farm()) : read_file(root.path() / "registry.json");
  }
  // The registry document (registry.json's JSON) less the bindings on etcd, which keeps it in the farm's config key.
  std::string registry_document() const {
    if (etcd_port == 0) return read_file(root.path() / "registry.json");
    const auto keys = etcd_farm_keys(etcd_port, farm());
    const auto config = keys.find("config");
    return config == keys.end() ? "{}" : config->second;
  }
  bool on_etcd() const { return etcd_port != 0; }

  TempDir root;
  std::uint16_t etcd_port = 0;

 private:
  void on_etcd_if_asked() {
    if (const char* port = std::getenv("SSLBIND_TEST_ETCD")) etcd_port = static_cast<std::uint16_t>(std::atoi(port));
  }
  std::string farm() const { return root.path().filename().string(); }
};

}  // namespace sslbind::test
