#pragma once
// OpenSSH's StrictModes for sslbind's own files: the root, registry.json and its lock, the store folders with their
// certificates and keys, the sealing key. Each must be a real folder or file (not a symbolic link, which a user who
// could plant it would use to redirect a private key or the registry elsewhere), owned by the user running
// sslbind (root: by root), and not writable by group or others. Checked before a file is read or written; since the
// folders above are checked too, nobody else can swap a file between the check and the use.
#include <filesystem>

#include "core/result.hpp"

namespace sslbind::store {

enum class PrivateKind { Folder, File };

// Ok when `path` does not exist (sslbind creates it privately) or passes; otherwise RegistryUnreadable with one
// line naming the path, the rule and the command that fixes it (chmod, chown).
Status check_private(const std::filesystem::path& path, PrivateKind kind);

}  // namespace sslbind::store
