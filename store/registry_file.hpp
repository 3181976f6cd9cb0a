#pragma once
// The registry file under the root (registry.json) and the only code that reads or writes it.
//
// Every change runs as a transaction: take an exclusive lock on a separate lock file, re-read the registry,
// apply the change to what was read, write a temporary file in the same folder, fsync it, rename it over the
// registry and fsync the folder. A crash leaves either the old or the new file; concurrent commands serialise
// on the lock; a file that cannot be read is reported and never overwritten. Every file under the root (the
// registry, store certificates and keys, the sealing key) is written under the lock, so the next holder of the
// lock removes the temporary files a killed writer left.
//
// Each commit also writes registry.idx, the compiled form a front end maps (compiled_registry.hpp), before the new
// registry.json takes its name.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "store/file_identity.hpp"
#include "store/file_watch.hpp"
#include "store/registry.hpp"

namespace sslbind::store {

class RegistryFile final : public Registry {
 public:
  explicit RegistryFile(std::filesystem::path root);

  const std::filesystem::path& path() const { return file_; }

  // A missing file (or root) is an empty registry.
  Result<RegistryState> load() const override;
  // Runs `change` on the current state under the lock and commits it if it succeeds.
  Status transact(const std::function<Status(RegistryState&)>& change) override;
  // From registry.idx when it was compiled for the registry.json in place; otherwise registry.json, read whole.
  Result<ServingState> load_for_serving() const override;
  std::string location() const override { return file_.string(); }
  // Watches registry.json (store/file_watch.hpp): every commit by any process of this machine, or a copy of the file
  // put in place, is told; without inotify it reports that changes are applied on SIGHUP only, and returns false.
  bool follow(Changed changed, Report report) override;
  void unfollow() override;

  // Runs `work` under the same lock without reading or writing the registry: for every other write under the root
  // (the certificate stores, so that no binding is added for a certificate while it is being deleted; the
  // sealing key).
  Status locked(const std::function<Status()>& work);
  // The same for work that makes a value: locked<StoredCertificate>([&] { return stores.import(...); }).
  template <typename T>
  Result<T> locked(const std::function<Result<T>()>& work) {
    std::optional<Result<T>> made;
    const Status s = locked([&]() -> Status {
      made = work();
      return Ok{};
    });
    if (!s) return s.error();
    return std::move(*made);
  }

 private:
  std::filesystem::path root_;
  std::filesystem::path file_;
  std::filesystem::path lock_file_;
  std::filesystem::path compiled_file_;
  std::unique_ptr<FileWatch> watch_;
  mutable std::optional<FileIdentity> served_;  // of the registry.json the last load_for_serving() saw
};

}  // namespace sslbind::store
