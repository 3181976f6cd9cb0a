#include "store/registry_layout.hpp"

#include "core/registry_names.hpp"

namespace sslbind::store::layout {

const json* find_key(const json& document, const char* const* path) {
  if (!document.contains(kHive)) return nullptr;
  const json* node = &document[kHive];
  for (const char* const* name = path; *name != nullptr; ++name) {
    if (!node->is_object()) return node;
    if (!node->contains(*name)) return nullptr;
    node = &(*node)[*name];
  }
  return node;
}

json& make_key(json& document, const char* const* path) {
  json* node = &document[kHive];
  for (const char* const* name = path; *name != nullptr; ++name) node = &(*node)[*name];
  return *node;
}

std::optional<KeyKind> kind_of_info_key(const std::string& name) {
  for (KeyKind kind : kKinds) {
    if (binding_info_key(kind) == name) return kind;
  }
  return std::nullopt;
}

}  // namespace sslbind::store::layout
