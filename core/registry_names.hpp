#pragma once
// Where HTTP.SYS keeps a binding in the registry: the registry file and the .reg export both use these names.
#include <string>
#include <string_view>

#include "core/binding.hpp"

namespace sslbind {

// The values of a binding's extended properties (HTTP_SERVICE_CONFIG_SSL_PARAM_EX), named after the API's fields:
// sslbind's choice, as Windows' own value names are undocumented.
namespace extended_value {
inline constexpr const char* kReceiveWindow = "Http2ReceiveWindowSize";
inline constexpr const char* kMaxSettingsPerFrame = "Http2MaxSettingsPerFrame";
inline constexpr const char* kMaxSettingsPerMinute = "Http2MaxSettingsPerMinute";
}  // namespace extended_value

// "SslBindingInfo", "SslSniBindingInfo", "SslCcsBindingInfo", "SslScopedCcsBindingInfo".
std::string_view binding_info_key(KeyKind kind);
// The subkey name of a binding under its *BindingInfo key: "0.0.0.0:443", "[::]:443", "www.contoso.com:443".
std::string binding_subkey_name(const BindingKey& key);

}  // namespace sslbind
