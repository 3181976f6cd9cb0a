#pragma once
// What a connection does once its handshake has ended: a session, chosen by choose_session() from ALPN's result and
// the configuration, and the only holder of its protocol's state. A session reads and writes bytes through the
// connection's TlsStream and never sees OpenSSL.
#include <optional>
#include <string_view>

namespace sslbind::serve {

class Session {
 public:
  virtual ~Session() = default;
  virtual void start() = 0;
  // Between two requests, with nothing read of the next: a graceful stop may close the connection now.
  virtual bool idle() const = 0;
  // The connection is closing: give back what is held outside it (a web worker's in-flight count, sockets).
  virtual void closing() {}
};

enum class SessionKind {
  Page,     // the built-in page: no backend and no web farm is configured
  Forward,  // bytes to a backend= (TCP), with an optional PROXY protocol header
  Http1,    // HTTP/1.1 requests proxied to the web farms of their Host's route
};

// The one place a protocol is chosen. `alpn` is what the handshake agreed ("http/1.1", or empty when the client
// offered no ALPN); HTTP/2 joins here with its own kind. nullopt: a protocol no session speaks (the connection is
// closed rather than read as another protocol's bytes).
std::optional<SessionKind> choose_session(std::string_view alpn, bool has_backends, bool has_farms);

}  // namespace sslbind::serve
