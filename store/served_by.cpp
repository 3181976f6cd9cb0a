#include "store/served_by.hpp"

namespace sslbind::store {

ServedCertificate served_by(const Selection& selection, const CertStore& stores,
                            const std::optional<std::filesystem::path>& ccs_folder) {
  const ServedFrom from = source_of(selection);
  if (from.kind == ServedFrom::Kind::CcsFile) {
    return {selection.ccs->certificate, "file " + (ccs_folder ? (*ccs_folder / from.ccs_file).string() : from.ccs_file),
            ""};
  }
  const std::string source = "store " + from.store;
  auto found = stores.find(from.store, *from.thumbprint);
  if (!found) return {std::nullopt, source, found.error().detail};
  if (!*found) return {std::nullopt, source, "the store does not hold it: the handshake fails (Error 1312)"};
  return {**found, source, ""};
}

}  // namespace sslbind::store
