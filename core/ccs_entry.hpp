#pragma once
// One file of the Central Certificate Store folder, as the provider read it.
#include <optional>
#include <string>

#include "core/certificate_info.hpp"

namespace sslbind {

struct CcsEntry {
  std::string file_name;                       // as on disk
  std::string hostname;                        // what the file serves: "www.contoso.com", "*.contoso.com"
  std::optional<CertificateInfo> certificate;  // absent when the file cannot be opened
  std::string problem;                         // why it cannot be opened

  // HTTP.SYS can serve it: it opens and holds the private key.
  bool usable() const { return certificate && certificate->has_private_key; }
};

}  // namespace sslbind
