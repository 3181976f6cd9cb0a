#pragma once
// Runs a program and collects its exit code, standard output and standard error.
#include <sys/types.h>

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

// Starts a program without waiting for it: standard input from /dev/null, standard output and error appended to
// `output` (created 0600 if need be). The pid, or -1 when it cannot start; the caller stops and reaps it by pid. If
// the test process dies first, the program gets SIGTERM (PR_SET_PDEATHSIG).
pid_t spawn_process(const std::vector<std::string>& argv, const std::string& output = "/dev/null");

}  // namespace sslbind::test
