#pragma once
// The listing of a Central Certificate Store folder: which <hostname>.pfx file serves which host name. It is built
// by one pass over the folder and never opens a file, so that it is cheap at 100k files and a lookup is in memory.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace sslbind::store {

struct CcsFileMatch {
  std::vector<std::string> tried;   // the file names looked for, in order (lower case)
  std::optional<std::string> file;  // the first that exists, as spelled on disk
  std::string hostname;             // what that file serves: "www.contoso.com", "*.contoso.com"
};

class CcsFolderIndex {
 public:
  // SourceUnavailable when the folder cannot be listed.
  static Result<CcsFolderIndex> list(const std::filesystem::path& folder);

  // <host>.pfx, then _.<parent>.pfx. InvalidParameter when the host name is refused (it could leave the folder, or
  // is not a host name).
  Result<CcsFileMatch> find(std::string_view host) const;
  // Every served file: lower-case name -> (name on disk, host name), sorted by name.
  const std::map<std::string, std::pair<std::string, std::string>>& files() const { return files_; }
  // Files that the provider never serves (not .pfx, or not named after a host), sorted.
  const std::vector<std::string>& ignored() const { return ignored_; }

 private:
  std::map<std::string, std::pair<std::string, std::string>> files_;
  std::vector<std::string> ignored_;
};

}  // namespace sslbind::store
