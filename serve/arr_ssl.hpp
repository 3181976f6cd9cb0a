#pragma once
// X-ARR-SSL, as ARR sends it to web workers: "<key bits>|<cipher bits>|<issuer>|<subject>" of the certificate that
// served the connection, names in Windows' order ("CN=..., O=..., C=US"). Apps moved off IIS detect HTTPS by it.
#include <openssl/types.h>

#include <string>

namespace sslbind::serve {

std::string arr_ssl_value(SSL* ssl);

}  // namespace sslbind::serve
