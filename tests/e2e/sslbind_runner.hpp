#pragma once
// Runs the real sslbind binary on a temporary root.
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/e2e/test_certificates.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace sslbind::test {

inline const std::string kAppId = "{4dc3e181-e14b-4a21-b022-59fc669b0914}";

struct EmptyRoot {};

// A temporary root whose stores MY and WebHosting hold both test certificates (or nothing, with EmptyRoot).
class Sslbind {
 public:
  explicit Sslbind(EmptyRoot) {}
  Sslbind() {
    for (int which : {0, 1}) {
      for (const char* store : {"MY", "WebHosting"}) {
        const auto r =
            (*this)({"add", "cert", "file=" + test_certificate(which).pem, std::string("certstorename=") + store});
        if (r.exit_code != 0) throw std::runtime_error("cannot import a test certificate: " + r.err);
      }
    }
  }

  ProcessResult operator()(std::vector<std::string> args) const {
    args.insert(args.begin(), {SSLBIND_BINARY, "--root", root.str()});
    return run_process(args);
  }
  std::string registry() const { return read_file(root.path() / "registry.json"); }

  TempDir root;
};

}  // namespace sslbind::test
