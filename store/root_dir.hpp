#pragma once
// Where sslbind keeps its files: --root, else $SSLBIND_ROOT, else /etc/sslbind for root, else
// $XDG_CONFIG_HOME/sslbind (~/.config/sslbind when XDG_CONFIG_HOME is unset).
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace sslbind::store {

using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

std::filesystem::path resolve_root(const std::optional<std::string>& flag, const EnvLookup& env, bool is_superuser);

// The same with the process's environment and effective user.
std::filesystem::path resolve_root(const std::optional<std::string>& flag);

}  // namespace sslbind::store
