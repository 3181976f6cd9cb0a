#pragma once
// Bindings that tests of the binding tables share: every family, and a lookup of a binding by its own key.
#include <memory>

#include "core/binding_set.hpp"
#include "core/binding_table.hpp"

namespace sslbind::test {

SslSettings settings(char hash_digit);  // a thumbprint of 40 such digits, IIS's appid
// Every family, both address families, wildcards, options and extended properties.
BindingSet every_family();
// The binding a table finds under a binding's own key.
std::shared_ptr<const Binding> look_up(const BindingTable& table, const BindingKey& key);

}  // namespace sslbind::test
