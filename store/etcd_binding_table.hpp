#pragma once
// A farm's bindings as the front end serves them from etcd: each key's value kept as etcd gave it, and decoded only
// when a handshake looks it up, as the compiled registry does from disk. So a front end serves 100k bindings as soon
// as they are listed, without decoding them first, and a new revision costs a copy of pointers, not a decoding of
// every binding. A value that cannot be decoded is looked up as no binding (the follower logs it when it decodes
// the farm for its local copy). Immutable; tables of successive revisions share their values.
#include <memory>
#include <string>
#include <unordered_map>

#include "core/binding_table.hpp"

namespace sslbind::store {

// A farm's keys and their values, by etcd key (the registry's prefix included).
using EtcdValues = std::unordered_map<std::string, std::shared_ptr<const std::string>>;

class EtcdBindingTable final : public BindingTable {
 public:
  EtcdBindingTable(std::string prefix, std::shared_ptr<const EtcdValues> values);

  std::size_t size() const override { return size_; }
  ListenPlan listen_plan() const override { return plan_; }
  std::shared_ptr<const Binding> ip_port(const IpAddress& address, std::uint16_t port) const override;
  std::shared_ptr<const Binding> host_port(KeyKind kind, std::string_view lower_host,
                                           std::uint16_t port) const override;
  std::shared_ptr<const Binding> ccs(std::uint16_t port) const override;

 private:
  std::shared_ptr<const Binding> find(const BindingKey& key) const;

  std::string prefix_;
  std::shared_ptr<const EtcdValues> values_;
  std::size_t size_ = 0;
  ListenPlan plan_;
};

}  // namespace sslbind::store
