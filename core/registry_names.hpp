#pragma once
// Where HTTP.SYS keeps a binding in the registry: the registry file and the .reg export both use these names.
#include <string>
#include <string_view>

#include "core/binding.hpp"

namespace sslbind {

// "SslBindingInfo", "SslSniBindingInfo", "SslCcsBindingInfo", "SslScopedCcsBindingInfo".
std::string_view binding_info_key(KeyKind kind);
// The subkey name of a binding under its *BindingInfo key: "0.0.0.0:443", "[::]:443", "www.contoso.com:443".
std::string binding_subkey_name(const BindingKey& key);

}  // namespace sslbind
