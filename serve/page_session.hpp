#pragma once
// The built-in page: with no backend and no web farm, every request is answered with what the handshake chose (the
// binding, the certificate, SNI, TLS, ALPN), so that an admin sees with curl what a browser would get.
#include <string>

#include "serve/session.hpp"

namespace sslbind::serve {

class Connection;

class PageSession : public Session {
 public:
  explicit PageSession(Connection& connection);
  void start() override { read_requests(); }
  bool idle() const override { return served_ && in_.empty() && pending_.empty(); }

 private:
  void read_requests();
  void answer(bool keep_alive, int status);
  void write_pending();

  Connection& c_;
  // What the page says of the binding, taken when the session is made (the connection does not keep the binding).
  std::string binding_;
  bool http2_disabled_ = false;
  std::string in_;       // request bytes not answered yet
  std::string pending_;  // bytes for the client not written yet
  bool served_ = false;
  bool close_after_write_ = false;
};

}  // namespace sslbind::serve
