#pragma once
// One binding as its registry key holds it, for a backend that stores a key per binding (a farm's shared store):
// the key family (SslBindingInfo, ...), the subkey name (0.0.0.0:443) and the values as compact JSON, typed as in the
// registry file ({"AppId":{"data":"...","type":"REG_BINARY"},...}). Decoding checks every value with the same rules
// as the registry file and the command line.
#include <string>
#include <string_view>

#include "core/binding.hpp"
#include "core/result.hpp"

namespace sslbind::store {

struct BindingRecord {
  std::string family;  // "SslBindingInfo", "SslSniBindingInfo", "SslCcsBindingInfo" or "SslScopedCcsBindingInfo"
  std::string subkey;  // "0.0.0.0:443", "www.contoso.com:443"
  std::string values;  // a JSON object of typed values
};

BindingRecord encode_binding(const Binding& binding);
// RegistryUnreadable naming the key when the record is not a binding sslbind would write.
Result<Binding> decode_binding(const BindingRecord& record);

// The values of a binding subkey appended as compact JSON, in name order: the registry writer's form too.
void append_binding_values(const Binding& binding, std::string& out);

}  // namespace sslbind::store
