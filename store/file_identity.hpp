#pragma once
// What tells a file apart from the one read earlier under the same name: a reload is due when any of these changed
// (a replaced file has a new inode; a rewritten one a new size or mtime), as nginx revalidates its certificate cache.
#include <cstdint>
#include <filesystem>
#include <optional>

namespace sslbind::store {

struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

// nullopt when the file cannot be stat'ed (gone, or no permission).
std::optional<FileIdentity> identity_of(const std::filesystem::path& path);

}  // namespace sslbind::store
