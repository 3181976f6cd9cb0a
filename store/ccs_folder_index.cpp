#include "store/ccs_folder_index.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "core/ccs_names.hpp"
#include "core/text.hpp"

namespace sslbind::store {

namespace fs = std::filesystem;

Result<CcsFolderIndex> CcsFolderIndex::list(const fs::path& folder) {
  auto unlistable = [&](int error) {
    return Error(ErrorCode::SourceUnavailable, "the Central Certificate Store folder " + text::quote(folder.string()) +
                                                   " cannot be listed: " + std::strerror(error));
  };
  // readdir directly: at 100k files the listing is the front end's start-up, and the entry type comes with the name
  // (a stat only for links and file systems that do not report it).
  DIR* dir = ::opendir(folder.c_str());
  if (dir == nullptr) return unlistable(errno);
  const std::unique_ptr<DIR, int (*)(DIR*)> closer(dir, ::closedir);
  CcsFolderIndex index;
  errno = 0;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    bool regular = entry->d_type == DT_REG;
    if (entry->d_type == DT_UNKNOWN || entry->d_type == DT_LNK) {
      struct stat st {};
      regular = ::fstatat(::dirfd(dir), entry->d_name, &st, 0) == 0 && S_ISREG(st.st_mode);
    }
    std::string lower = text::to_lower(name);
    if (!regular || lower.size() <= 4 || !lower.ends_with(".pfx")) {
      index.other_.emplace_back(name);
    } else if (const auto [it, added] = index.pfx_.try_emplace(lower, name); !added) {
      // Windows shares match names without regard to case, so only one of two files that differ only in case is
      // served: the one spelled in lower case, as lookups name files, or else the first listed. The other is
      // reported as ignored. (The front end serves a lower-case file before its first listing ends.)
      if (name == lower)
        std::swap(it->second, index.other_.emplace_back(name));
      else
        index.other_.emplace_back(name);
    }
    errno = 0;
  }
  if (errno != 0) return unlistable(errno);
  return index;
}

std::vector<std::pair<std::string, std::string>> CcsFolderIndex::served() const {
  std::vector<std::pair<std::string, const std::string*>> by_lower;  // sorted by the lower-case name
  for (const auto& [lower, name] : pfx_) by_lower.emplace_back(lower, &name);
  std::sort(by_lower.begin(), by_lower.end());
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [lower, name] : by_lower) {
    if (auto host = ccs_hostname_of_file(*name)) out.emplace_back(*name, std::move(*host));
  }
  return out;
}

std::vector<std::string> CcsFolderIndex::ignored() const {
  std::vector<std::string> out = other_;
  for (const auto& [lower, name] : pfx_) {
    if (!ccs_hostname_of_file(name)) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<CcsFileMatch> CcsFolderIndex::find(std::string_view host) const {
  auto names = ccs_file_names(host);
  if (!names) return names.error();
  CcsFileMatch match;
  for (const auto* candidate : {&names->exact, names->wildcard ? &*names->wildcard : nullptr}) {
    if (candidate == nullptr) continue;
    match.tried.push_back(*candidate);
    if (const auto it = pfx_.find(*candidate); it != pfx_.end()) {
      match.file = it->second;
      match.hostname = ccs_hostname_of_file(it->second).value_or("");
      break;
    }
  }
  return match;
}

}  // namespace sslbind::store
