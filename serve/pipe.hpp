#pragma once
// Bytes both ways between the client's TLS stream and an upstream connection, unparsed: TCP forwarding to a
// backend=, and a WebSocket tunnel after a 101. The client's half-close is passed on; the connection closes when the
// upstream is done. Its 16 KiB buffer exists only while bytes flow this way.
#include <array>
#include <memory>

#include "serve/upstream.hpp"

namespace sslbind::serve {

class Connection;

class Pipe {
 public:
  Pipe(Connection& connection, UpstreamConnection& upstream) : c_(connection), upstream_(upstream) {}
  void start();

 private:
  void client_to_upstream();
  void upstream_to_client();
  void write_to_client();

  Connection& c_;
  UpstreamConnection& upstream_;
  std::array<char, 16 * 1024> down_{};
  std::size_t down_size_ = 0;
  std::size_t down_written_ = 0;
  bool up_done_ = false;
};

}  // namespace sslbind::serve
