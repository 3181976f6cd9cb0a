#include "serve/ccs_listing.hpp"

#include <asio/post.hpp>
#include <cstdlib>
#include <thread>

#include "serve/log.hpp"
#include "store/file_identity.hpp"

namespace sslbind::serve {

using std::chrono::milliseconds;

std::string ccs_files(const store::CcsProvider& ccs) {
  const auto listing = ccs.index();
  return listing ? " with " + std::to_string(listing->pfx_files().size()) + " files" : " (being listed)";
}

void CcsListing::list_first(const std::shared_ptr<store::CcsProvider>& ccs, SharedState& shared) {
  const auto started = std::chrono::steady_clock::now();
  // Past the deadline no handshake waits for this listing any more; it goes on in the background.
  timer_.expires_after(deadline_);
  timer_.async_wait([this, ccs](const asio::error_code& ec) {
    if (ec || !ccs->mark_listing_overdue()) return;
    ++deadlines_passed_;
    log(Level::Warning, "CCS folder " + ccs->folder().string() + " not listed within " +
                            std::to_string(deadline_.count()) +
                            " s: names without a lower-case file fall through until the listing ends");
  });
  // For the tests of that deadline only: a listing made slow on purpose, as a hung share would make it.
  const char* delay = std::getenv("SSLBIND_TEST_CCS_LISTING_DELAY_MS");
  const auto slow = milliseconds(delay != nullptr ? std::atoi(delay) : 0);
  // Its own group and no deadline: a slow listing goes on in the background, never in the way of the loads.
  const bool queued = shared.loaders.submit(
      {[&io = io_, ccs, started, slow]() -> LoaderPool::Delivery {
         if (slow.count() > 0) std::this_thread::sleep_for(slow);
         auto listed = std::make_shared<Result<store::CcsFolderIndex>>(store::CcsFolderIndex::list(ccs->folder()));
         return [&io, ccs, listed, started] {
           const Status s = ccs->install(std::move(*listed));  // on the delivery thread: it wakes waiting handshakes
           const auto took = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
           asio::post(io, [ccs, s, took] {
             if (s)
               log(Level::Info, "CCS folder " + ccs->folder().string() + " listed" + ccs_files(*ccs) + " (" +
                                    std::to_string(took.count()) + " ms)");
             else
               log(Level::Warning, "CCS unavailable: " + s.error().detail);
           });
         };
       },
       "ccs listing",
       {}});
  if (queued) return;
  if (auto s = ccs->refresh(); !s) log(Level::Warning, "CCS unavailable: " + s.error().detail);  // loaders full
}

void CcsListing::refresh(const std::shared_ptr<store::CcsProvider>& ccs, SharedState& shared, const std::string& why) {
  if (!ccs) return;
  if (auto s = ccs->refresh(); !s) {
    log(Level::Warning, "CCS folder not re-listed, the last listing stays in use: " + s.error().detail);
    return;
  }
  // A file that changed (or could not be served, and may be fixed now) is read again on its next handshake.
  std::size_t changed = 0;
  for (const auto& [source, objects] : shared.cache.entries(CertSource::Kind::Ccs)) {
    if (objects && store::identity_of(ccs->folder() / source.name) == objects->file_identity()) continue;
    shared.cache.forget(source);
    ++changed;
  }
  if (!why.empty() || changed > 0) {
    log(Level::Info, (why.empty() ? std::string("CCS folder polled") : why) + ": " +
                         std::to_string(ccs->index()->pfx_files().size()) + " files, " + std::to_string(changed) +
                         " cached entries to read again");
  }
}

}  // namespace sslbind::serve
