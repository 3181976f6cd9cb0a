#pragma once
// OpenSSL's callbacks for one TLS connection. The ClientHello callback reads the server name, asks choose_certificate()
// (cert_choice.hpp) and applies its answer. It also applies the winning binding's options to the connection before
// version negotiation and resumption: disablelegacytls, disabletls12, disabletls13, clientcertnegotiation,
// enablesessionticket, disablesessionid, and a session-id context derived from the binding and its certificate, so that
// no session or ticket resumes on another binding. ALPN, which OpenSSL processes after that callback, offers what the
// winning binding allows (alpn.hpp). A certificate that is not loaded yet pauses the handshake (SSL_CLIENT_HELLO_RETRY)
// until a loader thread has read it; `resume` then continues the handshake on the connection's own loop.
#include <openssl/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "serve/cert_cache.hpp"
#include "serve/ocsp_stapler.hpp"
#include "serve/snapshot.hpp"
#include "serve/stats.hpp"
#include "serve/trust_stores.hpp"
#include "store/cert_store.hpp"

namespace sslbind::serve {

// What the callbacks need, set by the connection before the handshake starts and let go once its session is made.
struct HandshakeInput {
  IpAddress local;
  std::uint16_t port = 0;
  std::shared_ptr<const Snapshot> snapshot;
  CertCache* cache = nullptr;
  const store::CertStore* stores = nullptr;
  OcspStapler* ocsp = nullptr;
  TrustStores* trust = nullptr;
  std::function<void()> resume;
  bool forward_bytes = false;  // backend= forwards the bytes unread: no application protocol is agreed for them
  bool http2 = false;          // requests go to web farms, which HTTP/2 clients reach too: h2 is offered
};

struct Handshake {
  std::unique_ptr<HandshakeInput> in;

  // Set by the callback.
  std::optional<SelectionStep> step;
  std::shared_ptr<const Binding> winner;  // until the session is made: it takes what it needs
  std::string source;                     // "store MY" or "file www.contoso.com.pfx"
  std::string sni;                        // lower case, empty without SNI
  std::shared_ptr<const CertObjects> certificate;
  TrustStores::Store trust;     // clientcertnegotiation: the list the client's certificate is judged against
  bool forget_session = false;  // disablesessionid: the session is not kept for session-id resumption
  std::optional<Failure> failure;

  // The winner as a parameter: "hostnameport=www.contoso.com:443"; empty before the callback chose.
  std::string binding_name() const { return winner != nullptr ? winner->key.as_parameter() : std::string(); }
};

// The listener context every connection starts from: TLS 1.2 and 1.3, the callbacks, the server session cache and the
// ticket keys (OpenSSL encrypts tickets with the context the SSL was made from, so all threads share them).
SSL_CTX* make_listener_context();

// Attaches the handshake state to a new SSL object.
void attach(SSL* ssl, Handshake* handshake);

}  // namespace sslbind::serve
