#pragma once
// Runs a program and collects its exit code, standard output and standard error.
#include <string>
#include <vector>

namespace sslbind::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Extra environment entries ("NAME=value") are added to the test's own environment.
ProcessResult run_process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {});

}  // namespace sslbind::test
