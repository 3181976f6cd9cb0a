#pragma once
// The CCS folder's listing, kept by the control thread: the first listing of a folder runs on a loader thread
// (handshakes go on meanwhile, see cert_choice.cpp) under a deadline past which no handshake waits for it; later
// refreshes re-list the folder and make the cache forget certificates whose file changed.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "serve/shared_state.hpp"
#include "store/ccs_provider.hpp"

namespace sslbind::serve {

class CcsListing {
 public:
  CcsListing(asio::io_context& io, std::chrono::seconds deadline) : io_(io), deadline_(deadline), timer_(io) {}
  void list_first(const std::shared_ptr<store::CcsProvider>& ccs, SharedState& shared);
  // Lists the folder again (new and removed files) and forgets cached certificates whose file changed; `why`
  // empty: a quiet poll, logged only when something changed.
  void refresh(const std::shared_ptr<store::CcsProvider>& ccs, SharedState& shared, const std::string& why);
  std::uint64_t deadlines_passed() const { return deadlines_passed_; }

 private:
  asio::io_context& io_;
  std::chrono::seconds deadline_;
  asio::steady_timer timer_;
  std::uint64_t deadlines_passed_ = 0;
};

// " with N files", or " (being listed)": for the log.
std::string ccs_files(const store::CcsProvider& ccs);

}  // namespace sslbind::serve
