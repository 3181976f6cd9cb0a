// Concurrent writers: every committed binding survives.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/sslbind_runner.hpp"

using namespace sslbind::test;

TEST_CASE("4 processes adding 100 distinct bindings each at once: all 400 are there") {
  Sslbind sslbind;
  constexpr int kWriters = 4;  // enough to interleave on two cores; more only costs time
  constexpr int kEach = 100;
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int failures = 0;
      for (int i = 0; i < kEach; ++i) {
        // Writer w owns 10.w.x.y, so that every binding is distinct.
        const std::string ip =
            "10." + std::to_string(w) + "." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1) + ":443";
        const auto r = sslbind({"add", "sslcert", "ipport=" + ip, "certhash=" + hash0(), "appid=" + kAppId});
        if (r.exit_code != 0) ++failures;
      }
      ::_exit(failures == 0 ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  const auto shown = nlohmann::json::parse(sslbind({"show", "sslcert", "--json"}).out);
  CHECK(shown["bindings"].size() == kWriters * kEach);
  std::size_t temp_files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(sslbind.root.path())) {
    temp_files += entry.path().filename().string().find(".tmp.") != std::string::npos;
  }
  CHECK(temp_files == 0);
}
