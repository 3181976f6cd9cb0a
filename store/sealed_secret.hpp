#pragma once
// Secrets the registry has to hold (the CCS provider's private key password) are sealed, as IIS encrypts them with
// its machine key container: AES-256-GCM under a key in <root>/keys/registry-secret.key (mode 0600). A copy of
// registry.json alone, an export or a backup, does not reveal them.
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sslbind::store {

class SecretSealer {
 public:
  explicit SecretSealer(const std::filesystem::path& root) : key_file_(root / "keys" / "registry-secret.key") {}

  // Creates the key on first use.
  Result<std::string> seal(std::string_view secret) const;
  // RegistryUnreadable when the key is missing or the text was not sealed with it.
  Result<std::string> unseal(std::string_view sealed) const;

  // The farm key (docs/registry.md): a farm's front ends share one registry, so they must share this key. Exported
  // once from the machine that made it (creating it if there is none yet) and imported on every other one, as IIS
  // Shared Configuration exports its encryption keys. The export is the key in hex, with a prefix naming it.
  Result<std::string> export_key() const;
  // Installs an exported key. Importing the key this root already holds is fine; a different one is refused
  // (AlreadyExists): what was sealed with it would no longer open.
  Status import_key(std::string_view exported) const;
  const std::filesystem::path& key_file() const { return key_file_; }

 private:
  std::filesystem::path key_file_;
};

}  // namespace sslbind::store
