#include <doctest/doctest.h>

#include <map>

#include "store/root_dir.hpp"

using namespace sslbind;

namespace {

store::EnvLookup env(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("root: --root, then SSLBIND_ROOT, then /etc/sslbind for root, then XDG, then ~/.config") {
  const auto all = env({{"SSLBIND_ROOT", "/env"}, {"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/home/u"}});
  CHECK(store::resolve_root(std::string("/flag"), all, false) == "/flag");
  CHECK(store::resolve_root(std::nullopt, all, true) == "/env");
  CHECK(store::resolve_root(std::nullopt, env({{"XDG_CONFIG_HOME", "/xdg"}}), true) == "/etc/sslbind");
  CHECK(store::resolve_root(std::nullopt, env({{"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/h"}}), false) == "/xdg/sslbind");
  CHECK(store::resolve_root(std::nullopt, env({{"HOME", "/h"}}), false) == "/h/.config/sslbind");
  CHECK(store::resolve_root(std::string(), env({{"SSLBIND_ROOT", ""}, {"HOME", "/h"}}), false) == "/h/.config/sslbind");
}
