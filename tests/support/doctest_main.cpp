#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <csignal>

int main(int argc, char** argv) {
  // A server under test may close a connection first: a test's write to it must fail a check (EPIPE), not kill
  // the whole test process with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  return doctest::Context(argc, argv).run();
}
