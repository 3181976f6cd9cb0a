#include "store/ccs_provider.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "core/text.hpp"
#include "store/certificate_file.hpp"
#include "store/file_identity.hpp"
#include "store/sealed_secret.hpp"

namespace sslbind::store {
namespace {

namespace fs = std::filesystem;

// A <host>.pfx that is a symbolic link may point only inside the folder: a link leaving it would serve whatever file
// it names (another site's key, a file of the system) as that host's certificate.
Status check_inside(const fs::path& folder, const fs::path& path) {
  std::error_code ec;
  if (!fs::is_symlink(fs::symlink_status(path, ec))) return Ok{};
  const fs::path target = fs::weakly_canonical(path, ec);
  const fs::path base = fs::weakly_canonical(folder, ec);
  const auto [end, at] = std::mismatch(base.begin(), base.end(), target.begin(), target.end());
  if (ec || end != base.end()) {
    return Error(ErrorCode::SourceUnavailable, path.filename().string() + " is a symbolic link to " + target.string() +
                                                   ", outside the CCS folder " + folder.string() +
                                                   "; only files in the folder are served");
  }
  return Ok{};
}

Error unavailable(std::string why) { return Error(ErrorCode::SourceUnavailable, std::move(why)); }

struct CachedEntry {
  CcsEntry entry;
  std::optional<FileIdentity> identity;
};

}  // namespace

struct CcsProvider::Shared {
  mutable std::mutex mutex;
  std::shared_ptr<const CcsFolderIndex> index;
  std::optional<std::string> listing_problem;                  // the first listing failed
  bool listing_overdue = false;                                // the first listing is past its deadline
  mutable std::vector<std::function<void()>> listing_waiters;  // until the first listing is installed
  mutable std::unordered_map<std::string, CachedEntry> cache;  // by file name as on disk
};

CcsProvider::CcsProvider(fs::path folder, std::string password, std::optional<CcsFolderIndex> index)
    : folder_(std::move(folder)), password_(std::move(password)), shared_(std::make_unique<Shared>()) {
  if (index) shared_->index = std::make_shared<const CcsFolderIndex>(std::move(*index));
}

CcsProvider::CcsProvider(CcsProvider&&) noexcept = default;
CcsProvider& CcsProvider::operator=(CcsProvider&&) noexcept = default;
CcsProvider::~CcsProvider() = default;

Result<CcsProvider> CcsProvider::open(const std::optional<CcsProviderConfig>& config, const fs::path& root,
                                      Listing listing) {
  if (!config) {
    return unavailable(
        "no Central Certificate Store provider is configured; add one with: sslbind add ccs "
        "location=<folder>");
  }
  if (!config->enabled) {
    return unavailable(
        "the Central Certificate Store provider is disabled; enable it with: sslbind add ccs "
        "location=<folder>");
  }
  std::string password;
  if (config->sealed_private_key_password) {
    auto opened = SecretSealer(root).unseal(*config->sealed_private_key_password);
    if (!opened) return opened.error();
    password = std::move(*opened);
  }
  if (listing == Listing::Later) return CcsProvider(config->location, std::move(password), std::nullopt);
  auto index = CcsFolderIndex::list(config->location);
  if (!index) return index.error();
  return CcsProvider(config->location, std::move(password), std::move(*index));
}

Status CcsProvider::refresh() {
  return install(CcsFolderIndex::list(folder_));  // outside the lock: listing a network share can be slow
}

Status CcsProvider::install(Result<CcsFolderIndex> listed) {
  std::vector<std::function<void()>> waiters;
  Status out = Ok{};
  {
    const std::lock_guard lock(shared_->mutex);
    if (listed) {
      auto index = std::make_shared<const CcsFolderIndex>(std::move(*listed));
      std::erase_if(shared_->cache,
                    [&](const auto& cached) { return !index->pfx_files().contains(text::to_lower(cached.first)); });
      shared_->index = std::move(index);
      shared_->listing_problem.reset();
    } else {
      if (!shared_->index) shared_->listing_problem = listed.error().detail;
      out = listed.error();
    }
    waiters.swap(shared_->listing_waiters);
  }
  for (auto& wake : waiters) wake();  // outside the lock: a waiter asks again at once
  return out;
}

std::shared_ptr<const CcsFolderIndex> CcsProvider::index() const {
  const std::lock_guard lock(shared_->mutex);
  return shared_->index;
}

std::optional<std::string> CcsProvider::listing_problem() const {
  const std::lock_guard lock(shared_->mutex);
  return shared_->listing_problem;
}

bool CcsProvider::mark_listing_overdue() {
  std::vector<std::function<void()>> waiters;
  {
    const std::lock_guard lock(shared_->mutex);
    if (shared_->index || shared_->listing_problem) return false;
    shared_->listing_overdue = true;
    waiters.swap(shared_->listing_waiters);
  }
  for (auto& wake : waiters) wake();  // they ask again, and fall through
  return true;
}

bool CcsProvider::listing_overdue() const {
  const std::lock_guard lock(shared_->mutex);
  return shared_->listing_overdue && !shared_->index;
}

bool CcsProvider::wait_for_listing(std::function<void()> wake) const {
  const std::lock_guard lock(shared_->mutex);
  if (shared_->index || shared_->listing_problem || shared_->listing_overdue) return false;
  shared_->listing_waiters.push_back(std::move(wake));
  return true;
}

CcsEntry CcsProvider::load(const std::string& file_name, const std::string& hostname) const {
  const fs::path path = folder_ / file_name;
  const auto identity = identity_of(path);
  {
    const std::lock_guard lock(shared_->mutex);
    if (const auto it = shared_->cache.find(file_name); it != shared_->cache.end() && it->second.identity == identity) {
      return it->second.entry;
    }
  }
  // Read outside the lock: other lookups go on while one file is parsed.
  CcsEntry entry{file_name, hostname, std::nullopt, ""};
  auto info = [&]() -> Result<CertificateInfo> {
    if (auto s = check_inside(folder_, path); !s) return s.error();
    return read_certificate({path, std::nullopt, password_});
  }();
  if (info)
    entry.certificate = std::move(*info);
  else
    entry.problem = info.error().detail;
  const std::lock_guard lock(shared_->mutex);
  shared_->cache.insert_or_assign(file_name, CachedEntry{entry, identity});
  return entry;
}

Result<LoadedCertificate> CcsProvider::read_file(const std::string& file_name) const {
  if (auto s = check_inside(folder_, folder_ / file_name); !s) return s.error();
  return load_certificate({folder_ / file_name, std::nullopt, password_});
}

Result<CcsMatch> CcsProvider::lookup(std::string_view host) const {
  const auto listing = index();
  if (!listing)
    return unavailable(listing_problem().value_or("the CCS folder " + folder_.string() + " is being listed"));
  auto found = listing->find(host);
  if (!found) return found.error();
  CcsMatch match{found->tried, std::nullopt};
  if (found->file) match.entry = load(*found->file, found->hostname);
  return match;
}

CcsOutcome CcsProvider::outcome(std::string_view host) const {
  CcsOutcome out;
  auto match = lookup(host);
  if (!match) {
    out.problem = match.error().detail;
    return out;
  }
  out.tried = match->tried;
  if (!match->entry) return out;
  const CcsEntry& e = *match->entry;
  out.file = e.file_name;
  out.certificate = e.certificate;
  out.usable = e.usable();
  if (!e.certificate)
    out.problem = e.file_name + " cannot be opened: " + e.problem;
  else if (!e.usable())
    out.problem = e.file_name + " holds no private key";
  return out;
}

std::vector<CcsEntry> CcsProvider::list() const {
  const auto listing = index();
  std::vector<CcsEntry> out;
  if (!listing) return out;
  for (const auto& [file, host] : listing->served()) out.push_back(load(file, host));
  return out;
}

std::vector<std::string> CcsProvider::ignored_files() const {
  const auto listing = index();
  return listing ? listing->ignored() : std::vector<std::string>{};
}

}  // namespace sslbind::store
