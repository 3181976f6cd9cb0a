#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <memory>
#include <string>

#include "tests/support/etcd_server.hpp"

int main(int argc, char** argv) {
  // A server under test may close a connection first: a test's write to it must fail a check (EPIPE), not kill
  // the whole test process with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  // SSLBIND_TEST_START_ETCD=1: the command tests run again with every registry on one real etcd, started here and
  // stopped by pid when they end (tests/e2e/sslbind_runner.hpp gives each root a farm of its own on it).
  std::unique_ptr<sslbind::test::EtcdServer> etcd;
  if (const char* start = std::getenv("SSLBIND_TEST_START_ETCD"); start != nullptr && std::string(start) == "1") {
    etcd = std::make_unique<sslbind::test::EtcdServer>();
    ::setenv("SSLBIND_TEST_ETCD", std::to_string(etcd->client).c_str(), 1);
  }
  return doctest::Context(argc, argv).run();
}
