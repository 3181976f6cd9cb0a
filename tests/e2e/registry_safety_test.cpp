// Concurrent and killed writers: every committed binding survives, and nothing a killed writer left stays.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

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

namespace {

std::vector<std::filesystem::path> temp_files_under(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.find(".tmp.") != std::string::npos) found.push_back(entry.path());
  }
  return found;
}

}  // namespace

TEST_CASE("temporary files of killed writers are removed by the next writer, under the lock") {
  Sslbind sslbind;
  const auto root = sslbind.root.path();
  // A registry large enough (about 1.5 MB) that a write takes a while, so that kills land inside writes.
  std::string batch;
  for (int i = 0; i < 5000; ++i) {
    batch += "add sslcert ipport=10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1) +
             ":443 certhash=" + hash0() + " appid=" + kAppId + "\n";
  }
  write_file(root / "batch.txt", batch);
  REQUIRE(sslbind({"-f", (root / "batch.txt").string()}).exit_code == 0);

  // Kills spread over the second half of a writer's life, where it writes: how long one takes, measured here.
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(sslbind({"add", "sslcert", "ipport=10.2.1.1:443", "certhash=" + hash0(), "appid=" + kAppId}).exit_code == 0);
  const auto lifetime =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
  std::size_t left_by_kills = 0;
  for (int attempt = 0; attempt < 40; ++attempt) {  // bounded: 40 writers, killed from half to 1.25 times a lifetime
    const std::string ip = "10.2.0." + std::to_string(attempt + 1) + ":443";
    const pid_t pid = spawn_process({SSLBIND_BINARY, "--root", root.string(), "add", "sslcert", "ipport=" + ip,
                                     "certhash=" + hash0(), "appid=" + kAppId});
    REQUIRE(pid > 0);
    ::usleep(static_cast<useconds_t>(lifetime / 2 + lifetime * 3 / 4 * attempt / 40));
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    left_by_kills = std::max(left_by_kills, temp_files_under(root).size());
  }
  MESSAGE("temporary files left by killed writers before the next command: ", left_by_kills, " (a writer lives ",
          lifetime, " us)");
  // And one of each kind a writer can leave, as a kill between mkstemp and rename leaves them.
  std::filesystem::create_directories(root / "keys");
  write_file(root / "registry.json.tmp.Ab3dE9", "partial");
  write_file(root / "stores" / "MY" / (hash0() + ".pem.tmp.zz01QQ"), "partial");
  write_file(root / "stores" / "MY" / (hash0() + ".key.tmp.x9Y8w7"), "partial");
  write_file(root / "keys" / "registry-secret.key.tmp.k3y000", "partial");
  // Look-alikes that no writer makes stay.
  write_file(root / "notes.tmp.txt", "mine");
  std::filesystem::create_directories(root / "backup.tmp.abcdef");

  REQUIRE(sslbind({"add", "sslcert", "ipport=10.3.0.1:443", "certhash=" + hash0(), "appid=" + kAppId}).exit_code == 0);
  CHECK(temp_files_under(root).size() == 1);  // notes.tmp.txt only
  CHECK(std::filesystem::exists(root / "notes.tmp.txt"));
  CHECK(std::filesystem::is_directory(root / "backup.tmp.abcdef"));
  const auto shown = nlohmann::json::parse(sslbind({"show", "sslcert", "--json"}).out);
  CHECK(shown["bindings"].size() >= 5001);
}
