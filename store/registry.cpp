#include "store/registry.hpp"

#include "core/memory_binding_table.hpp"

namespace sslbind::store {

Result<ServingState> Registry::load_for_serving() const {
  auto state = load();
  if (!state) return state.error();
  auto bindings = std::make_shared<const BindingSet>(std::move(state->bindings));
  state->bindings = BindingSet{};
  return ServingState{std::move(*state), std::make_shared<MemoryBindingTable>(std::move(bindings)), location()};
}

Status Registry::transact_binding(const BindingKey&, const std::function<Status(RegistryState&)>& change) {
  return transact(change);
}

Result<nlohmann::json> Registry::farm_members() const {
  return invalid("show farm lists the front ends of a registry on etcd; this one is the file " + location() +
                 ": give --store etcd://HOST:PORT/FARM");
}

}  // namespace sslbind::store
