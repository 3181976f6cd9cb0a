#pragma once
// The file-based Central Certificate Store provider: a folder of <hostname>.pfx files that all open with one
// password (the provider's PrivateKeyPassword, or none). The folder is listed once when the provider is opened,
// so that a lookup is a hash lookup; a certificate is read when first asked for and then cached, as HTTP.SYS does.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ccs_entry.hpp"
#include "core/registry_state.hpp"
#include "core/selection.hpp"
#include "core/result.hpp"

namespace sslbind::store {

using sslbind::CcsEntry;

struct CcsMatch {
  std::vector<std::string> tried;   // the file names looked for, in order
  std::optional<CcsEntry> entry;    // the first that exists (readable or not)
};

class CcsProvider {
 public:
  // SourceUnavailable when no provider is configured, it is disabled, or its folder cannot be listed.
  static Result<CcsProvider> open(const std::optional<CcsProviderConfig>& config, const std::filesystem::path& root);

  const std::filesystem::path& folder() const { return folder_; }

  // InvalidParameter when the host name is refused (it could leave the folder, or is not a host name).
  Result<CcsMatch> lookup(std::string_view host) const;
  // The same, in the form the selection order takes (a refused host name becomes the problem).
  CcsOutcome outcome(std::string_view host) const;
  // Every .pfx file of the folder, read, sorted by file name.
  std::vector<CcsEntry> list() const;
  // Files in the folder that the provider never serves (not .pfx, or not named after a host).
  const std::vector<std::string>& ignored_files() const { return ignored_; }

 private:
  CcsProvider(std::filesystem::path folder, std::string password);
  const CcsEntry& read(const std::string& lower_name) const;

  std::filesystem::path folder_;
  std::string password_;
  std::map<std::string, std::pair<std::string, std::string>> files_;  // lower-case name -> (name on disk, host)
  std::vector<std::string> ignored_;
  mutable std::unordered_map<std::string, CcsEntry> cache_;
};

}  // namespace sslbind::store
