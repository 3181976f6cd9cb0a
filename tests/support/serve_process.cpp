#include "tests/support/serve_process.hpp"

#include <cstdio>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tls_client.hpp"

namespace sslbind::test {

ServeProcess::ServeProcess(const std::string& binary, const std::filesystem::path& root, std::uint16_t port,
                           const std::vector<std::string>& arguments)
    : log_(root / "serve.log") {
  std::filesystem::create_directories(root);
  std::vector<std::string> argv{binary, "--root", root.string(), "serve"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  pid_ = spawn_process(argv, log_.string());
  if (pid_ < 0) return;
  ready_ = eventually(
      [&] {
        const int fd = tcp_connect("127.0.0.1", port);
        if (fd >= 0) ::close(fd);
        return fd >= 0;
      },
      10'000);
}

ServeProcess::~ServeProcess() { stop(); }

std::string ServeProcess::log() const { return read_file(log_); }

int ServeProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 1500; ++i) {
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      // A failed stop is a test failure: its log (a sanitizer's report, say) is what explains it.
      if (code != 0) std::fprintf(stderr, "serve exited with %d; its log:\n%s\n", code, log().c_str());
      return code;
    }
    ::usleep(10'000);
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

}  // namespace sslbind::test
