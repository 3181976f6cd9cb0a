#pragma once
// The document `netsh http show sslcert json=enable` prints on Windows (newest builds), for scripts written against
// it: {"SslCertificateBindings": [...], "message": ..., "status": ...}. sslbind's own schema stays under --json.
#include <nlohmann/json.hpp>
#include <string>

#include "core/batch.hpp"
#include "core/binding.hpp"

namespace sslbind::cli {

// One binding, its fields named after HTTP.SYS's structures (HTTP_SERVICE_CONFIG_SSL_*_KEY and
// HTTP_SERVICE_CONFIG_SSL_PARAM without their "p" prefixes), as the public scripts that read this JSON use them:
// IpPort (IP bindings; SNI and scoped CCS add Host; CCS has LocalAddress), ConfigType, AppId, GuidString, SslHash
// (base64 of the hash bytes), SslCertStoreName and the Default* fields.
nlohmann::ordered_json windows_binding_json(const Binding& binding);

// What follows the bindings: status 0 and its message, or the Win32 error of a key that is not there.
nlohmann::ordered_json windows_status_json(int win32);

// `import netsh` of that document, the language-independent way off a Windows server: each binding becomes the
// `add sslcert` line its fields say (read by the same parser as the command line), numbered by its place in
// SslCertificateBindings, with DefaultCertCheckMode and DefaultFlags kept bit for bit.
Result<std::vector<BatchLine>> bindings_from_windows_json(std::string_view text);

}  // namespace sslbind::cli
