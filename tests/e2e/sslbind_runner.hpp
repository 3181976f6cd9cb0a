#pragma once
// Runs the real sslbind binary on a temporary root.
#include <string>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace sslbind::test {

inline const std::string kHash = "0102030405060708090a0b0c0d0e0f1011121314";
inline const std::string kAppId = "{4dc3e181-e14b-4a21-b022-59fc669b0914}";

class Sslbind {
 public:
  ProcessResult operator()(std::vector<std::string> args) const {
    args.insert(args.begin(), {SSLBIND_BINARY, "--root", root.str()});
    return run_process(args);
  }
  std::string registry() const { return read_file(root.path() / "registry.json"); }

  TempDir root;
};

}  // namespace sslbind::test
