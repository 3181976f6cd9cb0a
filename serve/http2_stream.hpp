#pragma once
// One HTTP/2 request stream: its fields gathered into an HTTP/1.1 head (http2_request.hpp), one Exchange with the
// web farm, the request body given to the exchange and acknowledged to the client (nghttp2_session_consume) only as
// the web worker takes it, and the response body held until the client's window lets nghttp2 send it; the web
// worker is read again only when that hold is small (Http2Limits::stream_buffer). A stream counts against the
// connection's concurrency until its web-worker request ends: a client reset of a request under way closes that
// web worker connection rather than pooling it. An extended CONNECT (RFC 8441) becomes a WebSocket tunnel.
#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <memory>
#include <string>

#include "serve/exchange.hpp"
#include "serve/http2_request.hpp"
#include "serve/http2_response.hpp"

namespace sslbind::serve {

class Http2Session;

class Http2Stream final : public ExchangeSink, public std::enable_shared_from_this<Http2Stream> {
 public:
  Http2Stream(Http2Session& session, std::int32_t id);
  ~Http2Stream() override;
  Http2Stream(const Http2Stream&) = delete;
  Http2Stream& operator=(const Http2Stream&) = delete;

  // What nghttp2 delivered, recorded for advance().
  void field(std::string_view name, std::string_view value);
  void trailer(std::string_view name, std::string_view value) { request_.add_trailer(name, value); }
  bool malformed() const { return request_.status() != 0 && request_.status() != 431; }
  void headers_end(bool end_stream);
  void data(const std::uint8_t* bytes, std::size_t size);
  void request_end();
  // nghttp2 closed the stream (a reset by either side, or both ends sent), or the connection is ending.
  void closed(bool connection_ending = false);
  // Acts on what was recorded; run by the session outside nghttp2.
  void advance();
  // nghttp2's data source for the response body.
  ssize_t read_body(std::uint8_t* buffer, std::size_t length, std::uint32_t* flags);

  bool scheduled = false;  // in the session's list for advance()

 private:
  void response_head(const HttpHead& head) override;
  void response_data(std::string_view bytes) override;
  void response_flush(bool ended) override;
  void request_drained() override;
  void failed(int status) override;
  void switched(std::unique_ptr<UpstreamConnection> upstream, std::string_view rest) override;

  void start_exchange();
  void give_body();
  void submit_response(int status, const std::vector<HttpHeader>& fields, bool body);
  void answer(int status);
  void reset(std::uint32_t code);
  void consume(std::size_t bytes);
  void finish();  // the exchange is over: nothing more is read from the web worker
  std::shared_ptr<void> hold();
  void tunnel_read();
  void tunnel_write();
  std::size_t held() const { return body_out_.size() - out_at_; }

  Http2Session& s_;
  const std::int32_t id_;
  Upstream& upstream_;  // the thread's: it outlives the connection
  Http2Request request_;
  Exchange exchange_;
  std::string body_in_;      // request DATA not given to the exchange yet
  std::size_t unacked_ = 0;  // DATA bytes received and not yet acknowledged to the client
  std::size_t given_ = 0;    // of those, the ones the exchange has been given
  std::string body_out_;     // response body bytes nghttp2 has not taken yet, from out_at_
  std::size_t out_at_ = 0;
  ChunkedDecoder chunks_;
  std::unique_ptr<UpstreamConnection> tunnel_;  // after a WebSocket's 101
  Upstream::Buffer tunnel_buffer_;
  std::vector<HttpHeader> tunnel_fields_;  // of the 101, for the 200
  bool chunked_response_ = false;
  bool chunked_request_ = false;
  bool headers_ended_ = false;
  bool body_follows_ = false;  // the request's HEADERS had no END_STREAM
  bool request_ended_ = false;
  bool end_given_ = false;
  bool started_ = false;
  bool done_ = false;       // the exchange ended (completed, failed, refused or cancelled)
  bool closed_ = false;     // nghttp2 closed the stream
  bool submitted_ = false;  // the final response head went to nghttp2
  bool response_ended_ = false;
  bool deferred_ = false;     // nghttp2 waits for body bytes
  bool read_paused_ = false;  // the web worker is not read while the client is behind
  bool read_on_due_ = false;
  bool websocket_ = false;
  bool tunnel_writing_ = false;
};

}  // namespace sslbind::serve
