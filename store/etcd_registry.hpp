#pragma once
// The registry of a farm of front ends, on etcd (docs/registry.md, "On etcd"): under /sslbind/v1/<farm>/, a key per
// binding, bindings/<family>/<subkey> (SslBindingInfo/0.0.0.0:443) holding its values as the registry file writes
// them; `config`, the rest of the registry document (the CCS provider, web farms and routes, the IP listen list, the
// TLS policy); and `revision`, a key every commit writes (transactions compare its mod_revision).
//
// A change is one etcd transaction: read everything at one revision, run the change on it (netsh's rules: add fails
// 183 when the key is there, update and delete 2 when it is not), and commit the keys it changed on the condition
// that `revision` is as it was read, so no commit in between can be lost or undone; on a conflict the change runs
// again on what is there now, a bounded number of times. A batch or an import is one transaction, never split.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "core/store_location.hpp"
#include "store/etcd_client.hpp"
#include "store/etcd_follower.hpp"
#include "store/registry.hpp"

namespace sslbind::store {

class EtcdRegistry final : public Registry {
 public:
  static constexpr int kAttempts = 60;  // with the waits between them, about 10 s of contention at most

  // `root`: the host-local root: a front end keeps its local copy of the farm's registry there
  // (<root>/farm/<farm>.json), and opens the farm's sealed ticket keys with its farm key.
  // `security`: TLS files and etcd's user (location.tls turns TLS on).
  EtcdRegistry(const StoreLocation& location, std::filesystem::path root = {}, EtcdSecurity security = {},
               std::chrono::milliseconds deadline = std::chrono::seconds(5));
  ~EtcdRegistry() override;

  Result<RegistryState> load() const override;
  Status transact(const std::function<Status(RegistryState&)>& change) override;
  // Reads and writes the one key, on the condition that it has not changed since it was read (its mod_revision, 0
  // while absent): netsh's 183 and 2 come from that compare, and a command on one binding does not read the farm.
  Status transact_binding(const BindingKey& key, const std::function<Status(RegistryState&)>& change) override;
  std::string location() const override { return location_; }
  // For a front end: the first call lists the farm (or, with etcd away, reads the local copy); later calls return
  // what the follower has applied, without asking etcd.
  Result<ServingState> load_for_serving() const override;
  bool follow(Changed changed, Report report) override;
  void unfollow() override;
  nlohmann::json follow_status() const override;
  std::vector<std::string> ticket_keys() const override;
  // {"revision": the registry's last commit, "frontends": [{id, host, pid, appliedRevision, lag, lastContact...}]}
  Result<nlohmann::json> farm_members() const override;

 private:
  struct Read {
    RegistryState state;
    nlohmann::json rest;                     // the config document's other keys, kept as they are
    std::map<std::string, std::string> kvs;  // what is stored, by full key (the counter aside)
    std::int64_t counter_revision = 0;       // the counter's mod_revision; 0: no commit yet
  };
  Result<Read> read() const;
  void back_off(int attempt);
  Status gave_up() const;

  mutable EtcdClient client_;
  StoreLocation where_;
  EtcdSecurity security_;
  std::filesystem::path root_;
  std::filesystem::path copy_file_;
  mutable std::unique_ptr<EtcdFollower> follower_;
  std::minstd_rand random_{std::random_device{}()};
  std::string prefix_;    // "/sslbind/v1/<farm>/"
  std::string location_;  // "etcd://127.0.0.1:2379/<farm>"
};

}  // namespace sslbind::store
