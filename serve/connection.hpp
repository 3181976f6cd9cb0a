#pragma once
// One client connection on an I/O thread: OpenSSL driven on the non-blocking socket (SSL_do_handshake, SSL_read and
// SSL_write, with the loop waiting for readiness on WANT_READ/WANT_WRITE and for a loader on
// WANT_CLIENT_HELLO_CB), then one of: HTTP/1.1 requests proxied to the web farms of their Host's route (when the
// registry has farms; connection_http.cpp), a TCP stream to a backend= with an optional PROXY protocol v2 header, or
// the built-in page. Timeouts for the handshake and for idleness; any fault drops this connection only, and is
// counted.
#include <array>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <memory>
#include <string>

#include "serve/handshake.hpp"

namespace sslbind::serve {

class Worker;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Worker& worker, asio::ip::tcp::socket socket);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start();
  // On a graceful stop: closes the connection if it is idle between two requests (HTTP keep-alive, the built-in
  // page). A connection that has not sent its first request yet is served as the drain allows.
  void close_if_idle();

 private:
  using Step = void (Connection::*)();
  void handshake();
  void established();
  // Waits until the client socket can be read (or written), then runs `next`, unless the connection closed.
  void wait(bool for_write, Step next);
  void arm_timer(std::chrono::milliseconds after, Failure why);
  void close();
  // Closes after an answer the front end wrote itself, without a reset destroying it (connection.cpp).
  void linger_close();
  void drain();
  // Writes `pending` to the client with SSL_write. True when all of it went; false when the connection closed or
  // waits for the socket, to run `retry` when it is ready. `written`, if given, counts the bytes that went.
  bool flush_to_client(std::string& pending, Step retry, std::uint64_t* written = nullptr);

  // The built-in page.
  void read_requests();
  void answer(bool keep_alive, int status);
  void write_pending();

  // HTTP reverse proxy to the web farms (connection_http.cpp), one request at a time; pipelined ones wait.
  void http_next();
  void http_read_head();
  void http_route();
  void http_choose_server();
  void http_connected();
  bool http_take_body();
  void http_write_backend();
  void http_pump_request();
  void http_read_response();
  void http_response_bytes(std::size_t n);
  void http_write_client();
  void http_exchange_done();
  void http_backend_failed();
  void http_error(int status, Failure why);
  void http_log();
  void http_tunnel();

  // Forwarding to a backend.
  void connect_backend(std::size_t attempt);
  void send_proxy_header();
  void client_to_backend();
  void backend_to_client();
  void write_to_client();

  Worker& worker_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  SSL* ssl_ = nullptr;
  Handshake handshake_;
  IpPort client_{};
  bool closed_ = false;
  bool lingering_ = false;
  bool served_ = false;            // a request was answered on this connection
  bool between_requests_ = false;  // answered before, and waiting for the first byte of a next request
  bool established_ = false;

  std::string in_;       // built-in page: request bytes not answered yet
  std::string pending_;  // bytes for the client not written yet
  bool close_after_write_ = false;

  std::unique_ptr<struct HttpExchange> http_;
  asio::steady_timer backend_timer_;  // HTTP: the web worker's connect and response timeouts

  asio::ip::tcp::socket backend_;
  std::array<char, 16 * 1024> up_{};
  std::array<char, 16 * 1024> down_{};
  std::size_t down_size_ = 0;
  std::size_t down_written_ = 0;
  bool up_done_ = false;
  bool down_done_ = false;
};

}  // namespace sslbind::serve
