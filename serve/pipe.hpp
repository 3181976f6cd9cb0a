#pragma once
// Bytes both ways between the client's TLS stream and a backend's socket, unparsed: TCP forwarding to a backend=,
// and a WebSocket tunnel after a 101. A half-close is passed on; the connection closes when the backend is done.
// Its two 16 KiB buffers exist only while bytes flow this way.
#include <array>
#include <asio/ip/tcp.hpp>

namespace sslbind::serve {

class Connection;

class Pipe {
 public:
  Pipe(Connection& connection, asio::ip::tcp::socket& backend) : c_(connection), backend_(backend) {}
  void start();

 private:
  void client_to_backend();
  void backend_to_client();
  void write_to_client();

  Connection& c_;
  asio::ip::tcp::socket& backend_;
  std::array<char, 16 * 1024> up_{};
  std::array<char, 16 * 1024> down_{};
  std::size_t down_size_ = 0;
  std::size_t down_written_ = 0;
  bool up_done_ = false;
};

}  // namespace sslbind::serve
