#include "store/orphaned_temp_files.hpp"

#include <unistd.h>

#include <algorithm>
#include <vector>

namespace sslbind::store {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTempMark = ".tmp.";
constexpr std::size_t kMkstempSuffix = 6;

void remove_in(const fs::path& folder) {
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!is_temp_file_name(name)) continue;
    // unlink, not remove_all: a folder or anything else by that name is not ours to touch.
    if (it->is_regular_file(ec)) ::unlink(it->path().c_str());
  }
}

}  // namespace

bool is_temp_file_name(std::string_view name) {
  if (name.size() < kTempMark.size() + kMkstempSuffix + 1) return false;
  const std::size_t mark = name.size() - kMkstempSuffix - kTempMark.size();
  if (name.substr(mark, kTempMark.size()) != kTempMark) return false;
  const std::string_view suffix = name.substr(name.size() - kMkstempSuffix);
  return std::all_of(suffix.begin(), suffix.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

void remove_orphaned_temp_files(const fs::path& root) {
  std::vector<fs::path> folders{root, root / "keys"};
  std::error_code ec;
  for (fs::directory_iterator it(root / "stores", ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) folders.push_back(it->path());
  }
  for (const auto& folder : folders) remove_in(folder);
}

}  // namespace sslbind::store
