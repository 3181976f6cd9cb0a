#pragma once
// All bindings of one registry, ordered as `show` lists them, with netsh's add/update/delete rules.
#include <map>
#include <vector>

#include "core/binding.hpp"
#include "core/result.hpp"

namespace sslbind {

class BindingSet {
 public:
  // Win32 183 if the key is taken (add never overwrites).
  Status add(Binding binding);
  // Win32 2 if the key is absent. Replaces every setting in one step, as HttpUpdateServiceConfiguration does:
  // settings not given return to their defaults. The extended properties are not SSL parameters: they stay.
  Status update(Binding binding);
  // update sslpropertyex: Win32 2 if the key is absent; true when a value changed.
  Result<bool> change_extended(const BindingKey& key, const PropertyChange& change);
  // Win32 2 if the key is absent.
  Status remove(const BindingKey& key);

  const Binding* find(const BindingKey& key) const;
  std::size_t size() const { return bindings_.size(); }
  bool empty() const { return bindings_.empty(); }

  auto begin() const { return bindings_.begin(); }
  auto end() const { return bindings_.end(); }

 private:
  std::map<BindingKey, Binding> bindings_;
};

}  // namespace sslbind
