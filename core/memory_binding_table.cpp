#include "core/memory_binding_table.hpp"

#include "core/text.hpp"

namespace sslbind {
namespace {

std::string host_key(std::string_view lower_host, std::uint16_t port) {
  std::string k(lower_host);
  k += ':';
  k += std::to_string(port);
  return k;
}

}  // namespace

std::size_t MemoryBindingTable::AddressHash::operator()(const AddressKey& k) const {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  auto mix = [&h](std::uint8_t b) { h = (h ^ b) * 1099511628211ull; };
  for (std::uint8_t b : k.bytes) mix(b);
  mix(static_cast<std::uint8_t>(k.port >> 8));
  mix(static_cast<std::uint8_t>(k.port & 0xFF));
  mix(k.v6 ? 1 : 0);
  return static_cast<std::size_t>(h);
}

MemoryBindingTable::AddressKey MemoryBindingTable::key_of(const IpAddress& address, std::uint16_t port) {
  return {address.bytes(), port, address.family() == IpAddress::Family::V6};
}

MemoryBindingTable::MemoryBindingTable(std::shared_ptr<const BindingSet> owned) : MemoryBindingTable(*owned) {
  owned_ = std::move(owned);
}

MemoryBindingTable::MemoryBindingTable(const BindingSet& bindings) : bindings_(bindings) {
  sni_.reserve(bindings.size());  // SNI bindings are the many on a hosting front end
  for (const auto& [key, binding] : bindings) {
    switch (key.kind()) {
      case KeyKind::IpPort: ip_.emplace(key_of(key.ip_port().address, key.port()), &binding); break;
      case KeyKind::HostnamePort: sni_.emplace(host_key(text::to_lower(key.host()), key.port()), &binding); break;
      case KeyKind::ScopedCcs: scoped_ccs_.emplace(host_key(text::to_lower(key.host()), key.port()), &binding); break;
      case KeyKind::Ccs: ccs_.emplace(key.port(), &binding); break;
    }
  }
}

std::shared_ptr<const Binding> MemoryBindingTable::borrowed(const Binding* binding) const {
  // Aliases the owned set (or nothing, when the caller keeps the set): no copy, no allocation.
  return binding == nullptr ? nullptr : std::shared_ptr<const Binding>(owned_, binding);
}

std::shared_ptr<const Binding> MemoryBindingTable::ip_port(const IpAddress& address, std::uint16_t port) const {
  const auto it = ip_.find(key_of(address, port));
  return borrowed(it == ip_.end() ? nullptr : it->second);
}

std::shared_ptr<const Binding> MemoryBindingTable::host_port(KeyKind kind, std::string_view lower_host,
                                                             std::uint16_t port) const {
  const auto& map = kind == KeyKind::ScopedCcs ? scoped_ccs_ : sni_;
  if (map.empty()) return nullptr;
  const auto it = map.find(host_key(lower_host, port));
  return borrowed(it == map.end() ? nullptr : it->second);
}

std::shared_ptr<const Binding> MemoryBindingTable::ccs(std::uint16_t port) const {
  const auto it = ccs_.find(port);
  return borrowed(it == ccs_.end() ? nullptr : it->second);
}

}  // namespace sslbind
