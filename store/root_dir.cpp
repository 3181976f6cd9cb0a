#include "store/root_dir.hpp"

#include <unistd.h>

#include <cstdlib>

namespace sslbind::store {

std::filesystem::path resolve_root(const std::optional<std::string>& flag, const EnvLookup& env, bool is_superuser) {
  auto non_empty = [](const std::optional<std::string>& v) { return v && !v->empty(); };
  if (non_empty(flag)) return *flag;
  if (auto v = env("SSLBIND_ROOT"); non_empty(v)) return *v;
  if (is_superuser) return "/etc/sslbind";
  if (auto v = env("XDG_CONFIG_HOME"); non_empty(v)) return std::filesystem::path(*v) / "sslbind";
  if (auto v = env("HOME"); non_empty(v)) return std::filesystem::path(*v) / ".config" / "sslbind";
  return std::filesystem::path(".sslbind");
}

std::filesystem::path resolve_root(const std::optional<std::string>& flag) {
  const EnvLookup env = [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  return resolve_root(flag, env, ::geteuid() == 0);
}

}  // namespace sslbind::store
