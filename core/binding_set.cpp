#include "core/binding_set.hpp"

namespace sslbind {

Status BindingSet::add(Binding binding) {
  const auto [it, inserted] = bindings_.try_emplace(binding.key, std::move(binding));
  if (!inserted) {
    return Error(ErrorCode::AlreadyExists, it->first.as_parameter() +
                                               " already has a binding; use update sslcert to change it, or delete "
                                               "it first");
  }
  return Ok{};
}

Status BindingSet::update(Binding binding) {
  const auto it = bindings_.find(binding.key);
  if (it == bindings_.end()) {
    return Error(ErrorCode::NotFound, binding.key.as_parameter() + " has no binding to update; use add sslcert");
  }
  // The stored key keeps the spelling it was added with; only the settings change.
  it->second.settings = std::move(binding.settings);
  return Ok{};
}

Result<bool> BindingSet::change_extended(const BindingKey& key, const PropertyChange& change) {
  const auto it = bindings_.find(key);
  if (it == bindings_.end()) return Error(ErrorCode::NotFound, key.as_parameter() + " has no binding");
  const ExtendedProperties before = it->second.extended;
  change.apply(it->second.extended);
  return !(before == it->second.extended);
}

Status BindingSet::remove(const BindingKey& key) {
  if (bindings_.erase(key) == 0) return Error(ErrorCode::NotFound, key.as_parameter() + " has no binding");
  return Ok{};
}

const Binding* BindingSet::find(const BindingKey& key) const {
  const auto it = bindings_.find(key);
  return it == bindings_.end() ? nullptr : &it->second;
}

}  // namespace sslbind
