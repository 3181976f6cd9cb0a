#pragma once
// Where the selection finds a binding by its key: the in-memory table built from a BindingSet (MemoryBindingTable),
// or the compiled registry that the front end maps from disk, which decodes a binding only when it is looked up.
// Lookups take host names already folded to lower case; a result stays valid for as long as the caller holds it.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/binding.hpp"
#include "core/binding_set.hpp"

namespace sslbind {

// Where a front end listens for a set of bindings: every port that has one (on the dual-stack wildcard), and the
// specific address of every ipport binding that names one (not 0.0.0.0 or [::]). Sorted, without repeats.
struct ListenPlan {
  std::vector<std::uint16_t> ports;
  std::vector<IpPort> addresses;
  friend bool operator==(const ListenPlan&, const ListenPlan&) = default;
};
ListenPlan listen_plan_of(const BindingSet& bindings);
// Sorts a plan gathered in any order and drops its repeats.
void sort_listen_plan(ListenPlan& plan);

class BindingTable {
 public:
  virtual ~BindingTable() = default;

  virtual std::size_t size() const = 0;
  virtual ListenPlan listen_plan() const = 0;

  // The ipport binding of exactly this address and port (0.0.0.0 and [::] are addresses like any other here).
  virtual std::shared_ptr<const Binding> ip_port(const IpAddress& address, std::uint16_t port) const = 0;
  // The hostnameport (kind HostnamePort) or scopedccs (kind ScopedCcs) binding of this host name as written in the
  // key, "*.contoso.com" included: the selection, not the table, decides when a wildcard key applies.
  virtual std::shared_ptr<const Binding> host_port(KeyKind kind, std::string_view lower_host,
                                                   std::uint16_t port) const = 0;
  // The port-wide ccs binding.
  virtual std::shared_ptr<const Binding> ccs(std::uint16_t port) const = 0;
};

}  // namespace sslbind
