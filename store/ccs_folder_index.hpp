#pragma once
// The listing of a Central Certificate Store folder: which .pfx file has which name, without regard to case. It is
// built by one pass over the folder and never opens a file, and it does not judge names until asked: at 100k files
// the listing is the front end's start-up, and a lookup only ever asks for names made from a valid host name.
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
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
  // The .pfx files: lower-case name -> name on disk. Some may not be named after a host (see served()).
  const std::unordered_map<std::string, std::string>& pfx_files() const { return pfx_; }
  // The files the provider serves, (name on disk, host name), sorted by name.
  std::vector<std::pair<std::string, std::string>> served() const;
  // Files that the provider never serves (not .pfx, not named after a host, or a second spelling), sorted.
  std::vector<std::string> ignored() const;

 private:
  std::unordered_map<std::string, std::string> pfx_;
  std::vector<std::string> other_;  // not a regular .pfx file, or a name that differs from another only in case
};

}  // namespace sslbind::store
