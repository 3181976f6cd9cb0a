#pragma once
// The front end's counters, shared by every thread (relaxed atomics: they are read for the admin status only).
#include <array>
#include <atomic>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>

namespace sslbind::serve {

enum class Failure {
  NoMatch,                 // no binding for the connection: the handshake fails, as in HTTP.SYS
  Rejected,                // the binding says reject=enable
  CertificateMissing,      // the store does not hold the certificate (check and resolve: certificate-missing)
  CertificateUnavailable,  // the certificate cannot be read or used
  BadClientHello,          // not TLS, truncated, malformed, oversized, or no common protocol or cipher
  HandshakeTimeout,        // slowloris: the handshake did not finish in time
  IdleTimeout,
  ConnectionLimit,
  BackendUnavailable,    // no backend took the connection (or no web worker the request: 502)
  BadRequest,            // an HTTP request refused before any web worker saw it: 400 or 431
  NoRoute,               // no route for the request's Host: 404
  BackendTimeout,        // the web worker did not start its response in time: 504
  BackendProtocol,       // the web worker's answer broke HTTP/1.1 (502, or its connection closed rather than pooled)
  DescriptorsExhausted,  // accept failed: no file descriptor left (EMFILE, ENFILE); the client waits in the backlog
  ClientCertificateUntrusted,  // a request refused 403.16: the client certificate's chain, usage or revocation check
  ClientCertificateRevoked,    // a request refused 403.13: a CRL lists the client certificate or its issuer
  kCount
};
std::string_view failure_name(Failure f);

// HTTP/2 connections (RFC 9113) and what their clients did.
struct Http2Stats {
  std::atomic<std::uint64_t> connections{0};
  std::atomic<std::uint64_t> streams{0};
  std::atomic<std::uint64_t> client_resets{0};  // RST_STREAM received
  std::atomic<std::uint64_t> server_resets{0};  // RST_STREAM sent
  std::atomic<std::uint64_t> goaways{0};        // GOAWAY sent: drains, stream caps, errors
  std::atomic<std::uint64_t> flood_closes{0};   // GOAWAYs with ENHANCE_YOUR_CALM: a flood defence or the error budget
  nlohmann::json to_json() const;
};

struct Stats {
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::int64_t> active{0};
  std::atomic<std::uint64_t> resumed{0};
  std::array<std::atomic<std::uint64_t>, 5> handshakes{};  // by selection step
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(Failure::kCount)> failures{};
  std::atomic<std::uint64_t> requests{0};   // built-in page answers
  std::atomic<std::uint64_t> forwarded{0};  // connections forwarded as TCP (backend=)
  std::atomic<std::uint64_t> proxied{0};    // HTTP requests answered by a web worker
  Http2Stats http2;

  void fail(Failure f) { failures[static_cast<std::size_t>(f)].fetch_add(1, std::memory_order_relaxed); }
  nlohmann::json to_json() const;
};

}  // namespace sslbind::serve
