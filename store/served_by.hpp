#pragma once
// The certificate a selection serves, read from where it comes from (core's source_of): for resolve's report.
#include <filesystem>
#include <optional>
#include <string>

#include "core/selection.hpp"
#include "store/cert_store.hpp"

namespace sslbind::store {

struct ServedCertificate {
  std::optional<CertificateInfo> certificate;
  std::string source;   // "store MY" or "file /srv/ccs/www.contoso.com.pfx"
  std::string problem;  // why the certificate cannot be described
};

// For a selection with a winner; `ccs_folder` is the provider's folder when the CCS step was reached.
ServedCertificate served_by(const Selection& selection, const CertStore& stores,
                            const std::optional<std::filesystem::path>& ccs_folder);

}  // namespace sslbind::store
