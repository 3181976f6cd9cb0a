#pragma once
// The registry compiled for the front end, so that `serve` starts and applies a change without parsing 100k
// bindings: a hash table over the bindings' lookup keys, each binding's fields in binary (decoded only when looked
// up), the listen plan, and the rest of the registry (CCS provider, web farms) as a small registry document.
//
// The writer of registry.json writes it next to that file at every commit, stamped with the identity (device, inode,
// size, mtime) that the new registry.json has, before registry.json takes its name. A reader uses it only while the
// stamp matches the registry.json it would otherwise read, and after its checksum has been verified: a stale, torn or
// damaged file is never served, the registry.json is read instead. Native byte order: the file never leaves the host.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/binding_table.hpp"
#include "core/registry_state.hpp"
#include "core/result.hpp"
#include "store/file_identity.hpp"

namespace sslbind::store {

inline constexpr const char* kCompiledRegistryName = "registry.idx";

// The file's bytes for `bindings`; `rest` is the registry document of everything else. nullopt past 4 GiB of
// records (some 20 million bindings), where the front end reads registry.json instead.
std::optional<std::string> compile_registry(const BindingSet& bindings, std::string_view rest,
                                            const FileIdentity& source);

// Writes the checksum of `bytes` (at least a header long) into its header: for tests and fuzzing, which damage a
// file on purpose and must still reach the checks behind the checksum.
void reseal_compiled_registry(std::string& bytes);

class CompiledRegistry final : public BindingTable {
 public:
  // Maps `file`. RegistryUnreadable saying why when it is missing, stamped for another registry.json than `source`,
  // of another format, or damaged.
  static Result<std::shared_ptr<const CompiledRegistry>> open(const std::filesystem::path& file,
                                                              const FileIdentity& source);
  // The same over bytes in memory (tests, fuzzing).
  static Result<std::shared_ptr<const CompiledRegistry>> from_bytes(std::string bytes, const FileIdentity& source);
  CompiledRegistry(const CompiledRegistry&) = delete;
  CompiledRegistry& operator=(const CompiledRegistry&) = delete;
  ~CompiledRegistry() override;

  // The registry document without bindings: read_registry() gives the CCS provider and the web farms.
  std::string_view rest() const;

  std::size_t size() const override;
  ListenPlan listen_plan() const override;
  std::shared_ptr<const Binding> ip_port(const IpAddress& address, std::uint16_t port) const override;
  std::shared_ptr<const Binding> host_port(KeyKind kind, std::string_view lower_host,
                                           std::uint16_t port) const override;
  std::shared_ptr<const Binding> ccs(std::uint16_t port) const override;

 private:
  struct Mapping;
  explicit CompiledRegistry(std::unique_ptr<Mapping> mapping);
  static Result<std::shared_ptr<const CompiledRegistry>> check(std::unique_ptr<Mapping> mapping,
                                                               const FileIdentity& source);
  std::shared_ptr<const Binding> find(std::string_view lookup_key) const;

  std::unique_ptr<Mapping> mapping_;
};

}  // namespace sslbind::store
