#pragma once
// Text and JSON for certificates in the stores.
#include <nlohmann/json.hpp>
#include <string>

#include "store/cert_store.hpp"

namespace sslbind::cli {

std::string certificate_text(const store::StoredCertificate& cert, std::int64_t now);
nlohmann::ordered_json certificate_json(const store::StoredCertificate& cert, std::int64_t now);

}  // namespace sslbind::cli
