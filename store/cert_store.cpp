#include "store/cert_store.hpp"

#include <algorithm>
#include <initializer_list>

#include "core/text.hpp"
#include "store/atomic_file.hpp"
#include "store/strict_modes.hpp"

namespace sslbind::store {
namespace {

namespace fs = std::filesystem;

Error not_found(std::string_view store, const Thumbprint& t) {
  return Error(ErrorCode::NotFound, "certificate " + t.hex() + " is not in store " + std::string(store));
}

// stores/, the store's folder and the files of one certificate pass the strict modes before they are read or written.
Status check_store_files(const fs::path& folder, std::initializer_list<fs::path> files) {
  if (auto s = check_private(folder.parent_path(), PrivateKind::Folder); !s) return s;
  if (auto s = check_private(folder, PrivateKind::Folder); !s) return s;
  for (const auto& f : files) {
    if (auto s = check_private(f, PrivateKind::File); !s) return s;
  }
  return Ok{};
}

Result<CertificateInfo> read_stored(const fs::path& pem) {
  fs::path key = pem;
  key.replace_extension(".key");
  if (auto s = check_store_files(pem.parent_path(), {pem, key}); !s) return s.error();
  std::error_code ec;
  const bool has_key = fs::exists(key, ec);
  auto info = read_certificate({pem, has_key ? std::optional<fs::path>(key) : std::nullopt, ""});
  if (!info) return Error(ErrorCode::RegistryUnreadable, "certificate store file damaged: " + info.error().detail);
  return info;
}

// A store file is found by its name, so its name must be its certificate's thumbprint: a file copied or renamed by
// hand would otherwise pass for another certificate (netsh's 1312 check, and what serve loads).
Status same_thumbprint(const fs::path& pem, const Thumbprint& named, const CertificateInfo& info) {
  if (info.thumbprint == named) return Ok{};
  return Error(ErrorCode::CertificateNotUsable,
               "store file " + pem.parent_path().filename().string() + "/" + pem.filename().string() +
                   " holds certificate " + info.thumbprint.hex() + " (" + info.subject + "), not the " + named.hex() +
                   " its name says; add the certificate again with: sslbind add cert file=<pfx or pem> "
                   "certstorename=" +
                   pem.parent_path().filename().string());
}

}  // namespace

std::optional<fs::path> CertStore::existing_folder(std::string_view store) const {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(stores_, ec)) {
    if (entry.is_directory(ec) && text::iequals(entry.path().filename().string(), store)) return entry.path();
  }
  return std::nullopt;
}

Result<StoredCertificate> CertStore::import(const CertificateSource& source, std::string_view store) {
  auto loaded = load_certificate(source);
  if (!loaded) return loaded.error();
  return add(*loaded, store);
}

Result<StoredCertificate> CertStore::add(const LoadedCertificate& certificate, std::string_view store) {
  const auto* loaded = &certificate;
  const fs::path folder = existing_folder(store).value_or(stores_ / std::string(store));
  const std::string base = loaded->info.thumbprint.hex();
  if (auto s = check_store_files(folder, {folder / (base + ".key"), folder / (base + ".pem")}); !s) return s.error();
  if (auto s = ensure_private_folder(folder); !s) return s.error();
  // The key first: a certificate file is only visible once its key is in place.
  if (!loaded->private_key_pem.empty()) {
    if (auto s = replace_file(folder / (base + ".key"), loaded->private_key_pem, 0600); !s) return s.error();
  }
  if (auto s = replace_file(folder / (base + ".pem"), loaded->certificate_pem + loaded->chain_pem, 0644); !s)
    return s.error();
  return StoredCertificate{folder.filename().string(), loaded->info};
}

Result<std::vector<StoredCertificate>> CertStore::list(std::optional<std::string_view> store) const {
  std::vector<fs::path> folders;
  std::error_code ec;
  if (store) {
    if (auto f = existing_folder(*store)) folders.push_back(*f);
  } else {
    for (const auto& entry : fs::directory_iterator(stores_, ec)) {
      if (entry.is_directory(ec)) folders.push_back(entry.path());
    }
  }
  std::vector<StoredCertificate> out;
  for (const auto& folder : folders) {
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      if (entry.path().extension() != ".pem") continue;
      auto info = read_stored(entry.path());
      if (!info) return info.error();
      const auto named = Thumbprint::parse(entry.path().stem().string());
      if (!named) {
        return Error(ErrorCode::CertificateNotUsable, "store file " + folder.filename().string() + "/" +
                                                          entry.path().filename().string() +
                                                          " is not named by a thumbprint");
      }
      if (auto s = same_thumbprint(entry.path(), *named, *info); !s) return s.error();
      out.push_back({folder.filename().string(), *info});
    }
  }
  std::sort(out.begin(), out.end(), [](const StoredCertificate& a, const StoredCertificate& b) {
    return std::tie(a.store, a.info.subject, a.info.not_after) < std::tie(b.store, b.info.subject, b.info.not_after);
  });
  return out;
}

Result<std::optional<CertificateInfo>> CertStore::find(std::string_view store, const Thumbprint& thumbprint) const {
  const auto folder = existing_folder(store);
  if (!folder) return std::optional<CertificateInfo>();
  const fs::path pem = *folder / (thumbprint.hex() + ".pem");
  std::error_code ec;
  if (!fs::exists(pem, ec)) return std::optional<CertificateInfo>();
  auto info = read_stored(pem);
  if (!info) return info.error();
  if (auto s = same_thumbprint(pem, thumbprint, *info); !s) return s.error();
  return std::optional<CertificateInfo>(*info);
}

Result<LoadedCertificate> CertStore::load(std::string_view store, const Thumbprint& thumbprint) const {
  const auto folder = existing_folder(store);
  const auto missing = [&] {
    return Error(ErrorCode::NotFound, "certificate " + thumbprint.hex() + " is not in store " + std::string(store));
  };
  if (!folder) return missing();
  const fs::path pem = *folder / (thumbprint.hex() + ".pem");
  const fs::path key = *folder / (thumbprint.hex() + ".key");
  if (auto s = check_store_files(*folder, {pem, key}); !s) return s.error();
  std::error_code ec;
  if (!fs::exists(pem, ec)) return missing();
  auto loaded = load_certificate({pem, fs::exists(key, ec) ? std::optional<fs::path>(key) : std::nullopt, ""});
  if (!loaded) return loaded.error();
  if (auto s = same_thumbprint(pem, thumbprint, loaded->info); !s) return s.error();
  return loaded;
}

Status CertStore::require_bindable(const SslSettings& settings) const {
  if (!settings.certhash) return Ok{};
  return require_usable(settings.effective_store(), *settings.certhash);
}

Status CertStore::require_usable(std::string_view store, const Thumbprint& thumbprint) const {
  auto found = find(store, thumbprint);
  if (!found) return found.error();
  const std::string where = "certificate " + thumbprint.hex() + " ";
  if (!*found) {
    return Error(ErrorCode::CertificateNotUsable, where + "is not in store " + std::string(store) +
                                                      "; import it with: sslbind add cert file=<pfx or pem> "
                                                      "certstorename=" +
                                                      std::string(store));
  }
  if (!(*found)->has_private_key) {
    return Error(ErrorCode::CertificateNotUsable,
                 where + "is in store " + std::string(store) +
                     " without its private key; add it again from a PFX or with keyfile=");
  }
  return Ok{};
}

Status CertStore::remove(std::string_view store, const Thumbprint& thumbprint) {
  const auto folder = existing_folder(store);
  if (!folder) return not_found(store, thumbprint);
  if (auto s = check_store_files(*folder, {}); !s) return s;
  std::error_code ec;
  // The certificate first: a key left behind by a crash is invisible, while a certificate whose key had gone
  // would still look usable.
  if (!fs::remove(*folder / (thumbprint.hex() + ".pem"), ec)) return not_found(store, thumbprint);
  fs::remove(*folder / (thumbprint.hex() + ".key"), ec);
  return Ok{};
}

}  // namespace sslbind::store
