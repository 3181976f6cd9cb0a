#include "serve/shared_state.hpp"

#include <algorithm>

#include <openssl/ssl.h>

#include "serve/handshake.hpp"

namespace sslbind::serve {

namespace {
constexpr std::size_t kMaxQueuedLoads = 10'000;
// A load (a store file, a CCS file) not done in this time is abandoned: its handshakes fail, its name is remembered
// as failed for a while, its thread is replaced. Within the handshake timeout, so a client is answered by then.
constexpr std::chrono::milliseconds kLoadDeadline{5'000};
}  // namespace

SharedState::SharedState(ServeCommand opts, const std::filesystem::path& root, unsigned loader_threads)
    : options(std::move(opts)),
      stores(root),
      loaders({loader_threads, kMaxQueuedLoads, std::max(1U, loader_threads / 2), kLoadDeadline}),
      cache(loaders, CacheLimits{}),
      ocsp(loaders, root / "ocsp") {
  timeouts.handshake = std::chrono::seconds(options.handshake_timeout);
  timeouts.idle = std::chrono::seconds(options.idle_timeout);
  timeouts.response = std::chrono::seconds(options.response_timeout);
  timeouts.request_head = timeouts.handshake;
  if (options.access_log) access_log = std::make_unique<AccessLog>(*options.access_log, options.access_log_json);
}

SharedState::~SharedState() = default;

}  // namespace sslbind::serve
