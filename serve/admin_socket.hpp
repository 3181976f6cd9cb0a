#pragma once
// The admin socket of a running serve (`show frontend` reads it): a Unix socket, 0600, one request line per
// connection ("status" or "reload") answered with one JSON line by the control thread. It removes only what it
// made: a path that holds anything but a socket is refused, never deleted, and at the end the socket is removed only
// while it is still the one bound. Each connection has a read deadline, and at most kMaxConnections are open.
#include <asio/io_context.hpp>
#include <asio/local/stream_protocol.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "core/result.hpp"

namespace sslbind::serve {

class AdminSocket {
 public:
  static constexpr std::size_t kMaxConnections = 64;
  static constexpr std::chrono::seconds kReadDeadline{5};

  // `answer` turns a request line (without its line end) into the reply (without its line end).
  AdminSocket(asio::io_context& io, std::filesystem::path path, std::function<std::string(const std::string&)> answer);
  ~AdminSocket();  // removes the socket if it is still the one bound
  AdminSocket(const AdminSocket&) = delete;
  AdminSocket& operator=(const AdminSocket&) = delete;

  // Binds and listens. InvalidParameter when the path holds something that is not a socket; SourceUnavailable when
  // another front end answers there or the socket cannot be made.
  Status open();
  void close();  // no new connections (the drain); those open are answered
  const std::filesystem::path& path() const { return path_; }
  std::uint64_t dropped() const { return dropped_; }  // over the cap, or past the read deadline

 private:
  void accept();
  void serve(std::shared_ptr<asio::local::stream_protocol::socket> socket);

  asio::io_context& io_;
  std::filesystem::path path_;
  std::function<std::string(const std::string&)> answer_;
  asio::local::stream_protocol::acceptor acceptor_;
  bool bound_ = false;
  std::uint64_t device_ = 0;
  std::uint64_t inode_ = 0;
  std::size_t open_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace sslbind::serve
