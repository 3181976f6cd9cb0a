#pragma once
// The client side of HTTP/1.1 proxying on one connection: it reads request heads and bodies (http_parser.hpp), hands
// each request to an Exchange with the web farm, and writes the response back as it comes; bodies stream both ways
// (memory per connection stays bounded). One request at a time: pipelined ones wait. It answers itself with a small
// page where the request is refused or the exchange failed, and turns into a Pipe after a 101.
#include <memory>
#include <string>

#include "serve/exchange.hpp"
#include "serve/http_parser.hpp"
#include "serve/pipe.hpp"
#include "serve/session.hpp"

namespace sslbind::serve {

class Connection;

class HttpSession : public Session, private ExchangeSink {
 public:
  explicit HttpSession(Connection& connection);
  void start() override { next(); }
  bool idle() const override { return idle_; }
  void closing() override;

 private:
  void response_head(const HttpHead& head) override;
  void response_data(std::string_view bytes) override;
  void response_flush(bool ended) override;
  void request_drained() override;
  void failed(int status) override;
  void switched(std::unique_ptr<UpstreamConnection> upstream, std::string_view rest) override;

  void next();
  void read_head();
  void route();
  bool collect_body(std::string& body);
  void pump_request();
  void write_client();
  void done();
  void refuse(int status, Failure why);
  void answer(int status);
  void tunnel();

  Connection& c_;
  Exchange exchange_;
  HttpParser request_{HttpParser::Kind::Request};
  std::string in_;         // bytes from the client not given to the parser yet (pipelined requests wait here)
  std::string to_client_;  // bytes for the client not written yet
  std::unique_ptr<UpstreamConnection> tunnel_upstream_;
  std::unique_ptr<Pipe> pipe_;
  bool served_ = false;
  bool idle_ = false;  // answered before, and waiting for the first byte of a next request
  // The request under way.
  bool head_started_ = false;
  bool request_ended_ = false;
  bool waiting_for_body_ = false;
  bool response_ended_ = false;
  bool client_keep_alive_ = true;
  bool own_answer_ = false;  // the front end answers (an error page), then closes
  bool switching_ = false;   // a 101 is written, then the connection becomes a tunnel
};

}  // namespace sslbind::serve
