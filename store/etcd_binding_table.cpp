#include "store/etcd_binding_table.hpp"

#include "core/registry_names.hpp"
#include "store/etcd_layout.hpp"

namespace sslbind::store {
namespace {

// Where a binding key listens, read from its name alone ("bindings/SslBindingInfo/10.0.0.5:443"): its port, and
// the address of an ipport key that names one. False for a name that is not a binding's.
bool add_to_plan(const etcd::KeyName& name, ListenPlan& plan) {
  const std::size_t colon = name.subkey.rfind(':');
  if (colon == std::string::npos) return false;
  const std::string_view subkey = name.subkey;
  auto port = parse_port(subkey.substr(colon + 1), "port", subkey);
  if (!port) return false;
  if (name.family == binding_info_key(KeyKind::IpPort)) {
    auto ip = IpPort::parse(subkey);
    if (!ip) return false;
    if (!ip->address.is_wildcard()) plan.addresses.push_back(*ip);
  }
  plan.ports.push_back(*port);
  return true;
}

}  // namespace

EtcdBindingTable::EtcdBindingTable(std::string prefix, std::shared_ptr<const EtcdValues> values)
    : prefix_(std::move(prefix)), values_(std::move(values)) {
  for (const auto& [key, value] : *values_) {
    const etcd::KeyName name = etcd::name_of(prefix_, key);
    if (name.kind == etcd::KeyName::Kind::Binding && add_to_plan(name, plan_)) ++size_;
  }
  sort_listen_plan(plan_);
}

std::shared_ptr<const Binding> EtcdBindingTable::find(const BindingKey& key) const {
  const std::string name = etcd::binding_key(prefix_, key);
  const auto it = values_->find(name);
  if (it == values_->end()) return nullptr;
  auto binding = etcd::decode_binding_key(etcd::name_of(prefix_, name), name, *it->second);
  if (!binding) return nullptr;
  return std::make_shared<const Binding>(std::move(*binding));
}

std::shared_ptr<const Binding> EtcdBindingTable::ip_port(const IpAddress& address, std::uint16_t port) const {
  return find(BindingKey::ip(IpPort{address, port}));
}

std::shared_ptr<const Binding> EtcdBindingTable::host_port(KeyKind kind, std::string_view lower_host,
                                                           std::uint16_t port) const {
  const HostPort host{std::string(lower_host), port};
  return find(kind == KeyKind::ScopedCcs ? BindingKey::scoped_ccs(host) : BindingKey::sni(host));
}

std::shared_ptr<const Binding> EtcdBindingTable::ccs(std::uint16_t port) const { return find(BindingKey::ccs(port)); }

}  // namespace sslbind::store
