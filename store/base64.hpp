#pragma once
// Base64 (RFC 4648, with padding), through OpenSSL: the sealed registry secret, and the certificate hash of the
// Windows-form JSON of show sslcert json=enable.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sslbind::store {

std::string base64(std::span<const unsigned char> bytes);
// nullopt when `text` is not base64 with padding.
std::optional<std::vector<unsigned char>> unbase64(std::string_view text);

}  // namespace sslbind::store
