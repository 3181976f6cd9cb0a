#pragma once
// HTTP/2 to the client (RFC 9113) on one connection, with nghttp2 as the frame engine, structured as nghttpx does:
// the TLS stream's bytes go into nghttp2_session_mem_recv, and what nghttp2_session_mem_send makes goes into a write
// buffer capped per connection. Each request stream is an Http2Stream that feeds one Exchange with the web farm,
// over the same HTTP/1.1 pools as HTTP/1.1 clients. The flood defences (http2_limits.hpp) are set or counted here;
// past one the connection ends with GOAWAY. nghttp2's callbacks only record what came; the streams act on it once
// nghttp2 has returned, so that no exchange runs inside the library.
#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "serve/http2_limits.hpp"
#include "serve/http2_memory.hpp"
#include "serve/session.hpp"

namespace sslbind::serve {

class ClientFacts;
class Connection;
class Http2Stream;

class Http2Session : public Session {
 public:
  Http2Session(Connection& connection, const Http2Limits& limits);
  ~Http2Session() override;
  Http2Session(const Http2Session&) = delete;
  Http2Session& operator=(const Http2Session&) = delete;

  void start() override;
  bool idle() const override { return streams_.empty(); }
  void closing() override;
  void drain() override;
  void release_if_idle() override;

  // For the streams.
  Connection& connection() { return c_; }
  const std::shared_ptr<ClientFacts>& client() const { return client_; }
  nghttp2_session* engine() { return ng_; }
  const Http2Limits& limits() const { return limits_; }
  // Runs the stream's advance() once nghttp2 has returned (at once when it is not inside it).
  void schedule(Http2Stream& stream);
  // Produces and writes what nghttp2 has to send, reads when it may, and runs the scheduled streams.
  void pump();
  // pump() once the thread has run what else is ready: the responses of several web workers that come together go
  // out in one write, a response's head with its body.
  void pump_soon();
  // A protocol error the client made the server answer; past the budget the connection ends.
  void glitch();

  // nghttp2's callbacks (http2_callbacks.cpp).
  int on_begin_headers(const nghttp2_frame& frame);
  int on_header(const nghttp2_frame& frame, std::string_view name, std::string_view value);
  int on_frame_recv(const nghttp2_frame& frame);
  int on_data(std::int32_t stream_id, const std::uint8_t* data, std::size_t size);
  int on_stream_close(std::int32_t stream_id, std::uint32_t error_code);
  int on_frame_send(const nghttp2_frame& frame);
  int on_invalid_frame();

 private:
  bool send();
  void receive();
  void run_scheduled();
  void end(std::uint32_t error_code);  // GOAWAY with `error_code`, then the connection closes once it is written
  // The connection's one deadline: idle, or the web worker's response time while streams are open, and sooner
  // while a header block is unfinished or the SETTINGS unacknowledged.
  void arm_deadline();
  void header_block(bool started);  // HEADERS began (nghttp2 reads one header block at a time) or ended

  Connection& c_;
  std::shared_ptr<ClientFacts> client_;  // made once, for every stream's exchange
  Http2Limits limits_;
  Http2Memory memory_;  // before ng_, which uses it until the destructor deletes it
  nghttp2_session* ng_ = nullptr;
  std::map<std::int32_t, std::shared_ptr<Http2Stream>> streams_;
  std::vector<std::shared_ptr<Http2Stream>> scheduled_;
  std::vector<std::int32_t> retired_;  // streams nghttp2 closed, let go of after it returns
  std::string out_;                    // frames made, not written yet
  TokenBucket glitches_;
  SettingsPerMinute settings_;
  std::uint32_t new_streams_in_read_ = 0;
  std::uint32_t total_streams_ = 0;
  std::int64_t settings_sent_ms_ = 0;
  std::int64_t header_started_ms_ = -1;  // an unfinished header block began then
  bool settings_acked_ = false;
  bool read_waiting_ = false;
  bool write_waiting_ = false;
  bool pumping_ = false;
  bool release_asked_ = false;  // the worker's idle sweep will call release_if_idle()
  bool pump_posted_ = false;
  bool again_ = false;
  bool in_engine_ = false;  // inside mem_recv or mem_send
  bool ending_ = false;
};

}  // namespace sslbind::serve
