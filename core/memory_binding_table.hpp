#pragma once
// A BindingTable of hash maps over a BindingSet, built in one pass: what `resolve` uses, and the front end when the
// registry has no current compiled form. Results point into the set (no copy), which must outlive the table unless
// the table owns it.
#include <array>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/binding_table.hpp"

namespace sslbind {

class MemoryBindingTable final : public BindingTable {
 public:
  explicit MemoryBindingTable(const BindingSet& bindings);
  explicit MemoryBindingTable(std::shared_ptr<const BindingSet> owned);

  std::size_t size() const override { return bindings_.size(); }
  ListenPlan listen_plan() const override { return listen_plan_of(bindings_); }
  std::shared_ptr<const Binding> ip_port(const IpAddress& address, std::uint16_t port) const override;
  std::shared_ptr<const Binding> host_port(KeyKind kind, std::string_view lower_host,
                                           std::uint16_t port) const override;
  std::shared_ptr<const Binding> ccs(std::uint16_t port) const override;

 private:
  struct AddressKey {
    std::array<std::uint8_t, 16> bytes;
    std::uint16_t port;
    bool v6;
    friend bool operator==(const AddressKey&, const AddressKey&) = default;
  };
  struct AddressHash {
    std::size_t operator()(const AddressKey& k) const;
  };
  static AddressKey key_of(const IpAddress& address, std::uint16_t port);
  std::shared_ptr<const Binding> borrowed(const Binding* binding) const;

  std::shared_ptr<const BindingSet> owned_;
  const BindingSet& bindings_;
  std::unordered_map<AddressKey, const Binding*, AddressHash> ip_;
  std::unordered_map<std::string, const Binding*> sni_;  // "<lower-case host>:<port>"
  std::unordered_map<std::string, const Binding*> scoped_ccs_;
  std::unordered_map<std::uint16_t, const Binding*> ccs_;
};

}  // namespace sslbind
