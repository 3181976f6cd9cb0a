#pragma once
// Temporary files of writers that died (SIGKILL, power loss) between mkstemp and rename: registry.json.tmp.XXXXXX
// and the same next to store certificates, keys and the sealing key. Only a writer holding the registry lock may
// remove them: every writer under the root writes under that lock, so any such file seen then is an orphan.
#include <cstddef>
#include <filesystem>
#include <string_view>

namespace sslbind::store {

// "<name>.tmp.XXXXXX" as publish_file's mkstemp makes it.
bool is_temp_file_name(std::string_view name);

// Removes the orphans in the root, <root>/keys and every <root>/stores/<store>. Folders that cannot be listed are
// passed over: the cleaning is a courtesy, never a reason for a command to fail.
void remove_orphaned_temp_files(const std::filesystem::path& root);

}  // namespace sslbind::store
