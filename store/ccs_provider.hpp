#pragma once
// The file-based Central Certificate Store provider: a folder of <hostname>.pfx files that all open with one
// password (the provider's PrivateKeyPassword, or none). The folder is listed when the provider is opened and again
// on refresh(), so that a lookup is a hash lookup; a certificate is read when first asked for and cached, and read
// again when its file changed (inode, size or mtime), as HTTP.SYS caches and IIS re-polls the share.
//
// Safe to share between threads: lookups, loads and refresh() may run at the same time.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ccs_entry.hpp"
#include "core/registry_state.hpp"
#include "core/result.hpp"
#include "core/selection.hpp"
#include "store/ccs_folder_index.hpp"
#include "store/certificate_file.hpp"

namespace sslbind::store {

using sslbind::CcsEntry;

struct CcsMatch {
  std::vector<std::string> tried;  // the file names looked for, in order
  std::optional<CcsEntry> entry;   // the first that exists (readable or not)
};

// When the folder is listed: at once (the commands), or later by install() (the front end, which starts serving
// before a folder of 100k files is listed).
enum class Listing { Now, Later };

class CcsProvider {
 public:
  // SourceUnavailable when no provider is configured, it is disabled, its password cannot be unsealed, or (Now) its
  // folder cannot be listed.
  static Result<CcsProvider> open(const std::optional<CcsProviderConfig>& config, const std::filesystem::path& root,
                                  Listing listing = Listing::Now);

  CcsProvider(CcsProvider&&) noexcept;
  CcsProvider& operator=(CcsProvider&&) noexcept;
  ~CcsProvider();

  const std::filesystem::path& folder() const { return folder_; }

  // Lists the folder again; on failure the previous listing stays in use. Cached certificates of files that are
  // gone are dropped.
  Status refresh();
  // The same with a listing made elsewhere (on a thread of low priority). Wakes those waiting for the first listing,
  // also when it failed.
  Status install(Result<CcsFolderIndex> listed);
  // The folder listing in use (no file is opened); null until the first listing of a provider opened with
  // Listing::Later, and then listing_problem() says whether it failed.
  std::shared_ptr<const CcsFolderIndex> index() const;
  std::optional<std::string> listing_problem() const;
  // Before the first listing: keeps `wake` to be called once it is done (on the thread that installs it) and returns
  // true. Returns false, keeping nothing, when there is no first listing to wait for.
  bool wait_for_listing(std::function<void()> wake) const;
  // The first listing took longer than the front end waits (a slow or hung share): from now until it ends, no one
  // waits for it, and a name without a file spelled in lower case falls through as when the folder cannot be listed.
  // Wakes those waiting. False when the listing had ended already.
  bool mark_listing_overdue();
  bool listing_overdue() const;
  // Reads one file of the listing (cached; read again when the file changed).
  CcsEntry load(const std::string& file_name, const std::string& hostname) const;

  // The file with its key and chain, as the front end serves it (not cached here: the front end caches objects).
  Result<LoadedCertificate> read_file(const std::string& file_name) const;

  // InvalidParameter when the host name is refused (it could leave the folder, or is not a host name).
  Result<CcsMatch> lookup(std::string_view host) const;
  // The same, in the form the selection order takes (a refused host name becomes the problem).
  CcsOutcome outcome(std::string_view host) const;
  // Every .pfx file of the folder, read, sorted by file name.
  std::vector<CcsEntry> list() const;
  // Files in the folder that the provider never serves (not .pfx, or not named after a host).
  std::vector<std::string> ignored_files() const;

 private:
  struct Shared;
  CcsProvider(std::filesystem::path folder, std::string password, std::optional<CcsFolderIndex> index);

  std::filesystem::path folder_;
  std::string password_;
  std::unique_ptr<Shared> shared_;
};

}  // namespace sslbind::store
