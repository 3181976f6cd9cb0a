#include "store/ccs_folder_index.hpp"

#include <algorithm>

#include "core/ccs_names.hpp"
#include "core/text.hpp"

namespace sslbind::store {

namespace fs = std::filesystem;

Result<CcsFolderIndex> CcsFolderIndex::list(const fs::path& folder) {
  auto unlistable = [&](const std::error_code& ec) {
    return Error(ErrorCode::SourceUnavailable, "the Central Certificate Store folder " + text::quote(folder.string()) +
                                                   " cannot be listed: " + ec.message());
  };
  CcsFolderIndex index;
  std::error_code ec;
  fs::directory_iterator it(folder, ec);
  if (ec) return unlistable(ec);
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const auto host = it->is_regular_file(ec) ? ccs_hostname_of_file(name) : std::nullopt;
    if (!host) {
      index.ignored_.push_back(name);
      continue;
    }
    // Windows shares match names without regard to case; of two files that differ only in case, the first
    // listed would win there too, so the second is reported as ignored.
    if (!index.files_.emplace(text::to_lower(name), std::pair{name, *host}).second) index.ignored_.push_back(name);
  }
  if (ec) return unlistable(ec);
  std::sort(index.ignored_.begin(), index.ignored_.end());
  return index;
}

Result<CcsFileMatch> CcsFolderIndex::find(std::string_view host) const {
  auto names = ccs_file_names(host);
  if (!names) return names.error();
  CcsFileMatch match;
  for (const auto* candidate : {&names->exact, names->wildcard ? &*names->wildcard : nullptr}) {
    if (candidate == nullptr) continue;
    match.tried.push_back(*candidate);
    if (const auto it = files_.find(*candidate); it != files_.end()) {
      match.file = it->second.first;
      match.hostname = it->second.second;
      break;
    }
  }
  return match;
}

}  // namespace sslbind::store
