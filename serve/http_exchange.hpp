#pragma once
// The state of the HTTP request a connection is proxying (connection_http.cpp): its parsers, the web worker it
// went to, the bytes waiting in each direction and what the access log will say.
#include <memory>
#include <string>
#include <vector>

#include "core/webfarm.hpp"
#include "serve/access_log.hpp"
#include "serve/http_parser.hpp"
#include "serve/snapshot.hpp"

namespace sslbind::serve {

// What one request needs, reset whole by HttpExchange::next() when the connection reads its next request.
struct HttpRequestState {
  HttpHead head;
  std::shared_ptr<const Snapshot> snapshot;  // the routes and farms this request was routed with
  const WebFarm* farm = nullptr;
  std::vector<std::string> tried;  // servers tried for this request
  std::string server;              // "host:port" of the web worker it went to
  bool in_flight = false;          // counted in BackendHealth until its response ends
  bool reused = false;             // the connection to the web worker came from the keep-alive pool
  bool connected = false;
  bool timed_out = false;     // the response timeout fired
  bool head_started = false;  // a first byte of this request came
  bool request_ended = false;
  bool head_sent = false;  // the request head reached the web worker on this connection
  bool body_sent = false;  // a byte of the request body reached the web worker
  bool backend_writing = false;
  bool backend_reading = false;
  std::string to_backend;
  std::string request_head_text;  // to send again when a retry is safe
  bool interim = false;           // the response being parsed is a 1xx
  bool final_head = false;        // the final response head was parsed
  bool response_ended = false;
  bool response_bytes = false;  // a byte of the response came
  bool client_keep_alive = true;
  bool tunnel = false;      // a 101: bytes flow both ways unparsed from here on
  bool own_answer = false;  // the front end answers (an error page), then closes
  bool backend_keep_alive = false;
  std::string to_client;
  AccessRecord record;
  std::int64_t started_ms = 0;
  std::int64_t sent_ms = 0;
};

struct HttpExchange : HttpRequestState {
  HttpParser request{HttpParser::Kind::Request};
  HttpParser response{HttpParser::Kind::Response};
  std::string in;       // bytes from the client not given to the request parser yet (pipelined requests wait here)
  std::string arr_ssl;  // X-ARR-SSL of this connection, made at its first request
  bool arr_ssl_made = false;

  void next() { static_cast<HttpRequestState&>(*this) = HttpRequestState{}; }
};

}  // namespace sslbind::serve
