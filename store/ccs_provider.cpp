#include "store/ccs_provider.hpp"

#include <algorithm>

#include "core/ccs_names.hpp"
#include "core/text.hpp"
#include "store/certificate_file.hpp"
#include "store/sealed_secret.hpp"

namespace sslbind::store {
namespace {

namespace fs = std::filesystem;

Error unavailable(std::string why) { return Error(ErrorCode::SourceUnavailable, std::move(why)); }

}  // namespace

CcsProvider::CcsProvider(fs::path folder, std::string password)
    : folder_(std::move(folder)), password_(std::move(password)) {}

Result<CcsProvider> CcsProvider::open(const std::optional<CcsProviderConfig>& config, const fs::path& root) {
  if (!config) {
    return unavailable("no Central Certificate Store provider is configured; add one with: sslbind add ccs "
                       "location=<folder>");
  }
  if (!config->enabled) {
    return unavailable("the Central Certificate Store provider is disabled; enable it with: sslbind add ccs "
                       "location=<folder>");
  }
  std::string password;
  if (config->sealed_private_key_password) {
    auto opened = SecretSealer(root).unseal(*config->sealed_private_key_password);
    if (!opened) return opened.error();
    password = std::move(*opened);
  }
  CcsProvider provider(config->location, std::move(password));
  std::error_code ec;
  fs::directory_iterator it(provider.folder_, ec);
  if (ec) {
    return unavailable("the Central Certificate Store folder " + text::quote(provider.folder_.string()) +
                       " cannot be listed: " + ec.message());
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const auto host = it->is_regular_file(ec) ? ccs_hostname_of_file(name) : std::nullopt;
    if (!host) {
      provider.ignored_.push_back(name);
      continue;
    }
    // Windows shares match names without regard to case; of two files that differ only in case, the first
    // listed would win there too, so the second is reported as ignored.
    if (!provider.files_.emplace(text::to_lower(name), std::pair{name, *host}).second) provider.ignored_.push_back(name);
  }
  if (ec) {
    return unavailable("the Central Certificate Store folder " + text::quote(provider.folder_.string()) +
                       " cannot be listed: " + ec.message());
  }
  std::sort(provider.ignored_.begin(), provider.ignored_.end());
  return provider;
}

const CcsEntry& CcsProvider::read(const std::string& lower_name) const {
  if (const auto cached = cache_.find(lower_name); cached != cache_.end()) return cached->second;
  const auto& [name, host] = files_.at(lower_name);
  CcsEntry entry{name, host, std::nullopt, ""};
  auto info = read_certificate({folder_ / name, std::nullopt, password_});
  if (info) entry.certificate = std::move(*info);
  else entry.problem = info.error().detail;
  return cache_.emplace(lower_name, std::move(entry)).first->second;
}

Result<CcsMatch> CcsProvider::lookup(std::string_view host) const {
  auto names = ccs_file_names(host);
  if (!names) return names.error();
  CcsMatch match;
  for (const auto* candidate : {&names->exact, names->wildcard ? &*names->wildcard : nullptr}) {
    if (candidate == nullptr) continue;
    match.tried.push_back(*candidate);
    if (files_.contains(*candidate)) {
      match.entry = read(*candidate);
      break;
    }
  }
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
  if (!e.certificate) out.problem = e.file_name + " cannot be opened: " + e.problem;
  else if (!e.usable()) out.problem = e.file_name + " holds no private key";
  return out;
}

std::vector<CcsEntry> CcsProvider::list() const {
  std::vector<CcsEntry> out;
  out.reserve(files_.size());
  for (const auto& [lower, _] : files_) out.push_back(read(lower));
  return out;
}

}  // namespace sslbind::store
