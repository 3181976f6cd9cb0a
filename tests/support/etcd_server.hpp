#pragma once
// A real etcd-server (Debian's /usr/bin/etcd) on two free loopback ports, its data in a temporary folder; started
// by the constructor once it says it serves, stopped and reaped by pid in the destructor.
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace sslbind::test {

struct EtcdServer {
  // `flags` are added to etcd's command line; with `https`, clients speak TLS (the flags name the certificate and key).
  // Throws when etcd does not start within 10 s.
  explicit EtcdServer(std::vector<std::string> flags = {}, bool https = false);
  ~EtcdServer();
  EtcdServer(const EtcdServer&) = delete;
  EtcdServer& operator=(const EtcdServer&) = delete;

  // etcd://127.0.0.1:<client>/<farm>
  std::string store(const std::string& farm = "web", const char* scheme = "etcd") const;
  void stop();     // SIGTERM, then reaped
  void kill();     // SIGKILL (a crash, the OOM killer), then reaped
  void restart();  // the same command line, after stop(); its output goes to a new log

  TempDir dir;
  std::uint16_t client, peer;
  pid_t pid = -1;
  std::vector<std::string> argv;

 private:
  int starts_ = 0;
};

// The keys of `farm`'s registry and their values, keys relative to the farm's prefix, without the commit counter and
// the ticket keys (they are not the registry's content).
std::map<std::string, std::string> etcd_farm_keys(std::uint16_t client_port, const std::string& farm);

// Every key and value of `farm`'s registry on the etcd at 127.0.0.1:`client_port`, one "key<TAB>value" a line, keys
// relative to the farm's prefix, sorted: what a test compares where it would compare registry.json.
std::string etcd_farm_contents(std::uint16_t client_port, const std::string& farm);

}  // namespace sslbind::test
