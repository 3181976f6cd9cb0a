#pragma once
// `import reg`: the keys of a .reg file (core/reg_file.hpp) as bindings and a CCS provider, decoded by the same code
// as the registry file, so that what regedit exported on Windows and what `export reg` wrote read alike.
#include <optional>
#include <vector>

#include "core/batch.hpp"
#include "core/reg_file.hpp"
#include "core/registry_state.hpp"

namespace sslbind::store {

struct RegImport {
  // An add per binding, numbered by its key's line, and its update sslpropertyex; an add iplisten per address of
  // HTTP\Parameters\ListenOnlyList.
  std::vector<BatchLine> lines;
  std::optional<CcsProviderConfig> ccs_provider;  // without its passwords: Windows sealed them with its own key
  std::size_t ccs_provider_line = 0;
  std::vector<SkippedLine> skipped;  // keys and values that are not sslbind's, named
};

// Reads HKLM\SYSTEM\CurrentControlSet (or ControlSetNNN)\Services\HTTP\Parameters\SslBindingInfo,
// SslSniBindingInfo, SslCcsBindingInfo and SslScopedCcsBindingInfo, and the CCS provider's key
// (HKLM\SOFTWARE\Microsoft\IIS\CentralCertProvider). Every other key, and every value those keys hold that sslbind does
// not keep, is skipped and named. A binding that cannot be decoded is refused with its line.
Result<RegImport> read_reg_import(const std::vector<RegKey>& keys);

}  // namespace sslbind::store
