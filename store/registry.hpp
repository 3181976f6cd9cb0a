#pragma once
// Where the bindings and the CCS provider live, as the commands and the front end see it: read a consistent
// snapshot, or apply one change as a transaction. The file under the root (RegistryFile) is the first implementation;
// a shared store for a farm is the next. Host-local concerns (the lock that the certificate stores share with the
// registry file) are not part of this interface.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/binding_table.hpp"
#include "core/registry_state.hpp"
#include "core/result.hpp"

namespace sslbind::store {

// The committed state as a front end serves it: the bindings as a table to look them up in, everything else decoded.
struct ServingState {
  RegistryState rest;  // its bindings are empty: they are in `bindings`
  std::shared_ptr<const BindingTable> bindings;
  std::string source;  // how it was read, for the log
};

class Registry {
 public:
  virtual ~Registry() = default;

  // The committed state; a registry that holds nothing yet is empty. RegistryUnreadable when it cannot be decoded.
  virtual Result<RegistryState> load() const = 0;
  // Runs `change` on the latest committed state and commits what it leaves if it succeeds; nothing is written when
  // it fails. `change` may run more than once (a store with optimistic concurrency retries it), so it must not have
  // effects outside the state it is given other than recording its result.
  virtual Status transact(const std::function<Status(RegistryState&)>& change) = 0;
  // A change of one binding that reads and writes nothing else (add, update, delete sslcert; update sslpropertyex):
  // `change` is given a state holding that binding if it exists, and nothing else. A shared store reads and commits
  // that one key; this default runs it on the whole state.
  virtual Status transact_binding(const BindingKey& key, const std::function<Status(RegistryState&)>& change);
  // The same state for a front end. This default decodes everything with load(); a store that keeps a compiled form
  // maps it instead, so that a front end starts without decoding every binding.
  virtual Result<ServingState> load_for_serving() const;
  // Where it is, for messages and logs: "/etc/sslbind/registry.json".
  virtual std::string location() const = 0;

  // A front end follows the store's committed changes, whoever made them: `changed` is called, on a thread of the
  // store's, after each one is in what load_for_serving() returns; `report` gets lines for the log (warning:
  // degraded). False when changes cannot be followed (then a front end applies them on SIGHUP).
  using Changed = std::function<void(const std::string& why)>;
  using Report = std::function<void(bool warning, const std::string& line)>;
  virtual bool follow(Changed, Report) { return false; }
  // Stops following: no call comes after this returns.
  virtual void unfollow() {}
  // The session-ticket keys the front ends of this registry share (each 80 bytes, newest first); none for the file.
  virtual std::vector<std::string> ticket_keys() const { return {}; }
  // What following looks like, for show frontend; null for the file.
  virtual nlohmann::json follow_status() const { return nullptr; }
  // The front ends that follow this registry, as they last published themselves (show farm). The file has none.
  virtual Result<nlohmann::json> farm_members() const;
};

}  // namespace sslbind::store
