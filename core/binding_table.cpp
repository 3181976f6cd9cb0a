#include "core/binding_table.hpp"

#include <algorithm>
#include <tuple>

namespace sslbind {

void sort_listen_plan(ListenPlan& plan) {
  std::sort(plan.ports.begin(), plan.ports.end());
  plan.ports.erase(std::unique(plan.ports.begin(), plan.ports.end()), plan.ports.end());
  const auto order = [](const IpPort& a, const IpPort& b) {
    return std::tuple(a.port, a.address.family(), a.address.bytes()) <
           std::tuple(b.port, b.address.family(), b.address.bytes());
  };
  std::sort(plan.addresses.begin(), plan.addresses.end(), order);
  plan.addresses.erase(std::unique(plan.addresses.begin(), plan.addresses.end()), plan.addresses.end());
}

ListenPlan listen_plan_of(const BindingSet& bindings) {
  ListenPlan plan;
  for (const auto& [key, binding] : bindings) {
    plan.ports.push_back(key.port());
    if (key.kind() == KeyKind::IpPort && !key.ip_port().address.is_wildcard()) plan.addresses.push_back(key.ip_port());
  }
  sort_listen_plan(plan);
  return plan;
}

}  // namespace sslbind
