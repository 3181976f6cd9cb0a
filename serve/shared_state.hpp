#pragma once
// What every I/O thread of one front end shares: the options, the listener TLS context, the certificate cache, the
// stores, the counters and the backends' health. Read-mostly; the cache and the counters are thread-safe.
#include <openssl/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/serve_command.hpp"
#include "serve/access_log.hpp"
#include "serve/backend_health.hpp"
#include "serve/cert_cache.hpp"
#include "serve/crl_cache.hpp"
#include "serve/log.hpp"
#include "serve/ocsp_stapler.hpp"
#include "serve/stats.hpp"
#include "serve/trust_stores.hpp"
#include "store/cert_store.hpp"

namespace sslbind::serve {

struct Timeouts {
  std::chrono::milliseconds handshake{10'000};     // a client that does not finish its handshake (slowloris)
  std::chrono::milliseconds idle{60'000};          // no byte either way
  std::chrono::milliseconds connect{5'000};        // to a backend
  std::chrono::milliseconds backend_down{10'000};  // a backend that refused is skipped this long
  std::chrono::milliseconds response{120'000};     // for a web worker to start its response: then 504
  std::chrono::milliseconds request_head{10'000};  // for a request head, once its first byte came (slowloris)
};

struct SharedState {
  SharedState(ServeCommand options, const std::filesystem::path& root, unsigned loader_threads);
  ~SharedState();
  SharedState(const SharedState&) = delete;
  SharedState& operator=(const SharedState&) = delete;

  ServeCommand options;
  Timeouts timeouts;
  store::CertStore stores;
  LoaderPool loaders;
  CertCache cache;
  OcspStapler ocsp;   // responses kept in <root>/ocsp
  TrustStores trust;  // the trusted lists of clientcertnegotiation bindings
  CrlCache crls;      // the CRLs their client certificates name, kept in <root>/crl
  Stats stats;
  BackendHealth health;                   // the web workers of the farms, and the backend= servers
  std::unique_ptr<AccessLog> access_log;  // null: no access log
  BurstLog descriptors_exhausted{Level::Warning,
                                 "no file descriptor left to accept a connection (EMFILE/ENFILE): clients wait; raise "
                                 "LimitNOFILE or lower maxconnections="};
  BurstLog connection_limit{Level::Warning, "maxconnections= reached: new connections are closed at once"};
};

}  // namespace sslbind::serve
