#pragma once
// How the file-based Central Certificate Store names its files: the certificate for www.contoso.com is
// www.contoso.com.pfx, and a wildcard certificate for *.contoso.com is _.contoso.com.pfx. The exact file is tried
// first, then the wildcard file of the parent domain.
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sslbind {

struct CcsFileNames {
  std::string exact;                    // "www.contoso.com.pfx"
  std::optional<std::string> wildcard;  // "_.contoso.com.pfx"; none when the parent is a top-level domain
};

// The files to try for a host name a client sent. A name that could reach outside the folder ("..", '/', '\\',
// NUL, over-long) or that is not a host name is refused with the reason: the name comes from the network.
// File names are lower-case; the provider matches them without regard to case, as Windows file shares do.
Result<CcsFileNames> ccs_file_names(std::string_view host);

// The host name a CCS file serves: "www.contoso.com.pfx" -> "www.contoso.com", "_.contoso.com.pfx" ->
// "*.contoso.com"; nothing for files the provider never serves (not .pfx, or not a host name).
std::optional<std::string> ccs_hostname_of_file(std::string_view file_name);

}  // namespace sslbind
