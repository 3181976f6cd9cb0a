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
  // A graceful stop finds the session busy: finish what is under way and take nothing new (HTTP/2's GOAWAY). An
  // HTTP/1.1 response already says Connection: close.
  virtual void drain() {}
  // The connection asked to be told (Worker::release_when_still_idle) and the sweep finds it: if the session is
  // still idle, give back the memory an idle connection need not hold.
  virtual void release_if_idle() {}
};

enum class SessionKind {
  Page,     // the built-in page: no backend and no web farm is configured
  Forward,  // bytes to a backend= (TCP), with an optional PROXY protocol header
  Http1,    // HTTP/1.1 requests proxied to the web farms of their Host's route
  Http2,    // HTTP/2 streams proxied the same way
};

// The one place a protocol is chosen. `alpn` is what the handshake agreed ("h2", "http/1.1", or empty when the client
// offered no ALPN). nullopt: a protocol no session speaks (the connection is
// closed rather than read as another protocol's bytes).
std::optional<SessionKind> choose_session(std::string_view alpn, bool has_backends, bool has_farms);

}  // namespace sslbind::serve
