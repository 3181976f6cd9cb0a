#pragma once
// HTTP/1.1 requests of one client connection proxied to the web farms, as ARR offloads SSL: each request goes to a
// web worker of the farm of its Host's route, with ARR's headers; bodies stream both ways as they come (memory per
// connection stays bounded); the web worker's connection goes back to this thread's pool for the next request.
// One request at a time; pipelined ones wait. A 101 to a WebSocket handshake turns the rest into a Pipe.
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <memory>

#include "serve/pipe.hpp"
#include "serve/session.hpp"
#include "serve/stats.hpp"
#include "serve/worker.hpp"

namespace sslbind::serve {

class Connection;
struct HttpExchange;

class HttpSession : public Session {
 public:
  explicit HttpSession(Connection& connection);
  ~HttpSession() override;
  void start() override { next(); }
  bool idle() const override { return idle_; }
  void closing() override;

 private:
  void next();
  void read_head();
  void route();
  bool take_body();
  void choose_server();
  void connected();
  void write_backend();
  void pump_request();
  void read_response();
  void response_bytes(std::size_t n);
  void write_client();
  void exchange_done();
  void backend_failed();
  void error(int status, Failure why);
  void log();
  void tunnel();
  void release_buffer();

  Connection& c_;
  std::unique_ptr<HttpExchange> x_;
  asio::ip::tcp::socket backend_;
  asio::steady_timer backend_timer_;                 // the web worker's connect and response timeouts
  std::unique_ptr<Worker::Buffer> response_buffer_;  // while a response is read
  std::unique_ptr<Pipe> pipe_;                       // after a 101
  bool served_ = false;
  bool idle_ = false;  // answered before, and waiting for the first byte of a next request
};

}  // namespace sslbind::serve
