#pragma once
// TCP forwarding to a backend= of `sslbind serve`: round robin from this thread's position over the backends not
// marked down, the next one on a refused connect, an optional PROXY protocol v2 header, then a Pipe.
#include <memory>

#include "serve/pipe.hpp"
#include "serve/session.hpp"

namespace sslbind::serve {

class Connection;

class ForwardSession : public Session {
 public:
  explicit ForwardSession(Connection& connection);
  void start() override { connect_backend(0); }
  bool idle() const override { return false; }  // a stream has no request boundaries to stop at
  void closing() override;

 private:
  void connect_backend(std::size_t attempt);
  void send_proxy_header();
  void start_pipe();

  Connection& c_;
  IpPort here_;  // the address the client connected to, for the PROXY header
  std::unique_ptr<UpstreamConnection> upstream_;
  std::unique_ptr<Pipe> pipe_;
};

}  // namespace sslbind::serve
