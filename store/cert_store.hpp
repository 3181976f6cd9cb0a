#pragma once
// Certificate stores under the root, the counterpart of the LocalMachine stores netsh binds from (MY, WebHosting,
// any name): <root>/stores/<name>/<thumbprint>.pem, and <thumbprint>.key for the private key (mode 0600).
// Store names match without regard to case, as on Windows; a store folder keeps the spelling it was created with.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/binding.hpp"
#include "core/certificate_info.hpp"
#include "core/result.hpp"
#include "store/certificate_file.hpp"

namespace sslbind::store {

struct StoredCertificate {
  std::string store;
  CertificateInfo info;
};

class CertStore {
 public:
  explicit CertStore(std::filesystem::path root) : stores_(std::move(root) / "stores") {}

  // Adds (or replaces) the certificate and its key. Errors in the file are InvalidParameter.
  Result<StoredCertificate> import(const CertificateSource& source, std::string_view store);
  Result<StoredCertificate> add(const LoadedCertificate& certificate, std::string_view store);
  // Every certificate of one store, or of every store; sorted by store, then subject.
  Result<std::vector<StoredCertificate>> list(std::optional<std::string_view> store) const;
  Result<std::optional<CertificateInfo>> find(std::string_view store, const Thumbprint& thumbprint) const;
  // CertificateNotUsable (Win32 1312) unless the store holds the certificate with its private key, which is what
  // HTTP.SYS needs to serve it; the detail says which of the two is missing.
  Status require_usable(std::string_view store, const Thumbprint& thumbprint) const;
  // netsh's 1312 check for a binding about to be added or updated: the certificate it names is usable from its
  // store (MY when it names none). CCS bindings name no certificate and always pass.
  Status require_bindable(const SslSettings& settings) const;
  // The certificate with its key and chain, as the front end serves it. NotFound if the store does not hold it.
  Result<LoadedCertificate> load(std::string_view store, const Thumbprint& thumbprint) const;
  // NotFound if the store does not hold it.
  Status remove(std::string_view store, const Thumbprint& thumbprint);

 private:
  std::optional<std::filesystem::path> existing_folder(std::string_view store) const;
  std::filesystem::path stores_;
};

}  // namespace sslbind::store
