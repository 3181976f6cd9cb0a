#pragma once
// Crash-safe file replacement and whole-file reads, shared by the registry and the certificate stores.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/file_identity.hpp"

namespace sslbind::store {

// Writes a temporary file in the same folder with `mode`, fsyncs it, renames it over `path` and fsyncs the folder:
// afterwards `path` holds the old bytes or the new ones, never a mix. Errors are RegistryWriteFailed.
Status replace_file(const std::filesystem::path& path, std::string_view text, unsigned mode);
// The same, calling `before_rename` with the identity the new file will have under `path` (a rename keeps it) just
// before it takes the name; when it fails, nothing is renamed and its error is returned.
Status replace_file(const std::filesystem::path& path, std::string_view text, unsigned mode,
                    const std::function<Status(const FileIdentity&)>& before_rename);

// For a file that is checked when read and rebuilt at will (registry.idx): replaced by rename as above, so readers
// see it whole, but without waiting for the disk. After a crash it may be the old file or a damaged new one.
Status replace_rebuildable_file(const std::filesystem::path& path, std::string_view text, unsigned mode);

// Creates `path` with `text` unless it exists, atomically (readers never see a partial file). Returns whether this
// call created it.
Result<bool> create_file_once(const std::filesystem::path& path, std::string_view text, unsigned mode);

// RegistryWriteFailed naming the path, the action and errno's text.
Error write_error(const std::filesystem::path& path, const std::string& what);

// Creates the folder (and its parents) readable by the owner only, if it is missing.
Status ensure_private_folder(const std::filesystem::path& folder);

struct FileText {
  bool exists = false;
  std::string text;
};
// Files of sslbind's own (the registry, keys) are opened with O_NOFOLLOW; files a user names may be links.
enum class FollowLinks { Yes, No };

// The most bytes each kind of file read whole may have (docs/registry.md). Past it the file is refused before a
// byte is read: a file that large is not one sslbind wrote, and reading it whole would take seconds and memory.
inline constexpr std::size_t kMaxRegistryFileBytes = std::size_t{256} << 20;   // ten times 100,000 bindings' 23 MiB
inline constexpr std::size_t kMaxCertificateFileBytes = std::size_t{4} << 20;  // a PEM or PFX with key and chain
inline constexpr std::size_t kMaxKeyFileBytes = std::size_t{64} << 10;         // a sealing key, a password file
inline constexpr std::size_t kMaxBatchFileBytes = std::size_t{256} << 20;      // a -f script

// Opened with O_NONBLOCK (a FIFO or a device at the path never blocks the open or the read), checked to be a
// regular file with fstat before the first read, and read only up to `max_bytes`. A missing file is
// `exists == false`; any other failure is RegistryUnreadable naming the path and the rule.
Result<FileText> read_whole_file(const std::filesystem::path& path, std::size_t max_bytes,
                                 FollowLinks follow = FollowLinks::Yes);

}  // namespace sslbind::store

namespace sslbind::store {

// A password kept in a file: its first line, without the line end. Errors are InvalidParameter.
Result<std::string> read_password_file(const std::filesystem::path& path);

}  // namespace sslbind::store
