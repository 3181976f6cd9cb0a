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

// The PEM texts of a store's certificates, for a trusted list: keys are neither needed nor read.
Result<std::vector<std::string>> trusted_certificates(const store::CertStore& stores, const std::string& name) {
  auto listed = stores.list(name);
  if (!listed) return listed.error();
  std::vector<std::string> pems;
  for (const store::StoredCertificate& c : *listed) {
    auto loaded = stores.load(c.store, c.info.thumbprint);
    if (!loaded) return loaded.error();
    pems.push_back(std::move(loaded->certificate_pem));
  }
  return pems;
}
}  // namespace

SharedState::SharedState(ServeCommand opts, const std::filesystem::path& root, unsigned loader_threads)
    : options(std::move(opts)),
      stores(root),
      loaders({loader_threads, kMaxQueuedLoads, std::max(1U, loader_threads / 2), kLoadDeadline}),
      cache(loaders, CacheLimits{}),
      ocsp(loaders, root / "ocsp"),
      trust(loaders, [this](const std::string& name) { return trusted_certificates(stores, name); }),
      crls(loaders, root / "crl", CrlCache::fetch_http) {
  timeouts.handshake = std::chrono::seconds(options.handshake_timeout);
  timeouts.idle = std::chrono::seconds(options.idle_timeout);
  timeouts.response = std::chrono::seconds(options.response_timeout);
  timeouts.request_head = timeouts.handshake;
  if (options.access_log) access_log = std::make_unique<AccessLog>(*options.access_log, options.access_log_json);
}

SharedState::~SharedState() = default;

}  // namespace sslbind::serve
