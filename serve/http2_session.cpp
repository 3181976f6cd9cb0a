#include "serve/http2_session.hpp"

#include <asio/post.hpp>

#include "serve/client_facts.hpp"
#include "serve/clock.hpp"
#include "serve/connection.hpp"
#include "serve/http2_stream.hpp"
#include "serve/worker.hpp"

namespace sslbind::serve {

nghttp2_session_callbacks* http2_callbacks();  // http2_callbacks.cpp

namespace {

// Rounds of reading and writing one pump makes before it lets the thread's other connections run.
constexpr int kRoundsPerPump = 16;
// How long the client may take to acknowledge the server's SETTINGS (RFC 9113, 6.5.3).
constexpr std::int64_t kSettingsAckMs = 10'000;

}  // namespace

Http2Session::Http2Session(Connection& connection, const Http2Limits& limits)
    : c_(connection),
      client_(client_facts(connection)),
      limits_(limits),
      glitches_(limits.glitch_burst, limits.glitch_rate),
      settings_(limits.max_settings_per_minute) {}

Http2Session::~Http2Session() {
  closing();  // a stream a late web-worker completion still holds must not reach this session any more
  nghttp2_session_del(ng_);
}

void Http2Session::start() {
  nghttp2_option* option = nullptr;
  nghttp2_option_new(&option);
  // Request bodies are acknowledged only as the web workers take them (Http2Stream::consume).
  nghttp2_option_set_no_auto_window_update(option, 1);
  nghttp2_option_set_max_settings(option, limits_.max_settings_per_frame);
  nghttp2_option_set_stream_reset_rate_limit(option, limits_.reset_burst, limits_.reset_rate);
  nghttp2_option_set_max_continuations(option, limits_.max_continuations);
  nghttp2_option_set_max_outbound_ack(option, limits_.max_outbound_ack);
  // Responses are encoded with the static table and literals only, as HAProxy and nginx do: no per-connection copy
  // of recent response fields to keep (up to 4 KiB while idle) or to search at every response.
  nghttp2_option_set_max_deflate_dynamic_table_size(option, 0);
  // RFC 7540's priority tree is not used (SETTINGS_NO_RFC7540_PRIORITIES): closed streams need not be kept for it.
  nghttp2_option_set_no_closed_streams(option, 1);
  const int made = nghttp2_session_server_new3(&ng_, http2_callbacks(), this, option, memory_.mem());
  nghttp2_option_del(option);
  if (made != 0) return c_.close();
  c_.shared().stats.http2.connections.fetch_add(1, std::memory_order_relaxed);
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, limits_.max_concurrent_streams},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, limits_.window},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, 64 * 1024},
      {NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL, 1},
      {NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES, 1},
  };
  nghttp2_submit_settings(ng_, NGHTTP2_FLAG_NONE, settings, std::size(settings));
  nghttp2_session_set_local_window_size(ng_, NGHTTP2_FLAG_NONE, 0, static_cast<std::int32_t>(limits_.window));
  settings_sent_ms_ = coarse_steady_ms();
  // The preface and the first request's header block have the head's time to come, as an HTTP/1.1 head does.
  header_started_ms_ = settings_sent_ms_;
  arm_deadline();
  pump();
}

void Http2Session::closing() {
  auto streams = std::move(streams_);
  streams_.clear();
  for (auto& [id, stream] : streams) stream->closed(true);
}

void Http2Session::drain() {
  if (ng_ == nullptr || ending_) return;
  // The streams under way are finished; no new one is taken (RFC 9113, 6.8).
  nghttp2_submit_goaway(ng_, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(ng_), NGHTTP2_NO_ERROR, nullptr,
                        0);
  pump();
}

void Http2Session::schedule(Http2Stream& stream) {
  if (stream.scheduled) return;
  stream.scheduled = true;
  scheduled_.push_back(stream.shared_from_this());
  if (!in_engine_) pump_soon();
}

void Http2Session::glitch() {
  if (!glitches_.take(coarse_steady_ms())) end(NGHTTP2_ENHANCE_YOUR_CALM);
}

void Http2Session::end(std::uint32_t error_code) {
  if (ending_) return;
  ending_ = true;
  nghttp2_session_terminate_session(ng_, error_code);
  if (!in_engine_) pump();
}

void Http2Session::pump_soon() {
  if (c_.closed()) return;
  if (pumping_) {
    again_ = true;
    return;
  }
  if (pump_posted_) return;
  pump_posted_ = true;
  asio::post(c_.worker().io(), c_.guard([this] {
    pump_posted_ = false;
    pump();
  }));
}

void Http2Session::pump() {
  if (c_.closed() || ng_ == nullptr) return;
  if (pumping_) {
    again_ = true;
    return;
  }
  pumping_ = true;
  int rounds = 0;
  do {
    again_ = false;
    run_scheduled();
    if (send() && !write_waiting_ && !read_waiting_ && !ending_ && nghttp2_session_want_read(ng_) != 0) receive();
  } while (again_ && !c_.closed() && ++rounds < kRoundsPerPump);
  pumping_ = false;
  if (c_.closed()) return;
  if (again_) return pump_soon();  // a client with more to say waits behind the thread's other connections
  if (nghttp2_session_want_read(ng_) != 0 || nghttp2_session_want_write(ng_) != 0 || !out_.empty()) return;
  // After a GOAWAY for an error the client may still be sending: a plain close would answer with a reset that can
  // destroy the GOAWAY before it is read.
  if (ending_) return c_.linger_close();
  c_.close();
}

void Http2Session::release_if_idle() {
  release_asked_ = false;
  if (ng_ == nullptr || pumping_ || !streams_.empty() || !out_.empty() || nghttp2_session_want_write(ng_) != 0) return;
  std::string().swap(out_);
  memory_.release_idle();
}

void Http2Session::run_scheduled() {
  while (!scheduled_.empty()) {
    auto streams = std::move(scheduled_);
    scheduled_.clear();
    for (auto& stream : streams) stream->advance();
  }
  for (const std::int32_t id : retired_) streams_.erase(id);
  retired_.clear();
}

bool Http2Session::send() {
  for (;;) {
    while (out_.size() < limits_.connection_buffer) {
      const std::uint8_t* data = nullptr;
      in_engine_ = true;
      const ssize_t n = nghttp2_session_mem_send(ng_, &data);
      in_engine_ = false;
      if (n < 0) {
        c_.close();
        return false;
      }
      if (n == 0) break;
      memory_.touched();
      out_.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
    }
    if (!scheduled_.empty()) again_ = true;  // a stream's body drained: its web worker is read on
    if (out_.empty()) {
      if (streams_.empty() && nghttp2_session_want_write(ng_) == 0 && !release_asked_) {
        release_asked_ = true;  // an idle connection keeps no buffer, nghttp2's frame buffer included
        c_.worker().release_when_still_idle(c_.weak_from_this());
      }
      return true;
    }
    if (write_waiting_) return true;
    switch (c_.stream().write(out_)) {
      case TlsStream::Status::Done: continue;
      case TlsStream::Status::Again:
        write_waiting_ = true;
        c_.wait([this] {
          write_waiting_ = false;
          pump();
        });
        return true;
      default: c_.close(); return false;
    }
  }
}

void Http2Session::receive() {
  Worker::Buffer& buffer = c_.worker().scratch();
  std::size_t n = 0;
  switch (c_.stream().read(buffer.data(), buffer.size(), n)) {
    case TlsStream::Status::Done: break;
    case TlsStream::Status::Again:
      read_waiting_ = true;
      return c_.wait([this] {
        read_waiting_ = false;
        pump();
      });
    default: return c_.close();  // the client closed or failed: its streams end with it
  }
  arm_deadline();
  new_streams_in_read_ = 0;
  in_engine_ = true;
  const ssize_t used = nghttp2_session_mem_recv(ng_, reinterpret_cast<const std::uint8_t*>(buffer.data()), n);
  in_engine_ = false;
  if (used < 0) {
    // A connection error: nghttp2 has queued its GOAWAY (a flood, a bad preface, a broken frame). Send it, then close.
    const bool flood = used == NGHTTP2_ERR_FLOODED || used == NGHTTP2_ERR_TOO_MANY_CONTINUATIONS;
    c_.shared().stats.fail(Failure::BadRequest);
    ending_ = true;
    nghttp2_session_terminate_session(ng_, flood ? NGHTTP2_ENHANCE_YOUR_CALM : NGHTTP2_PROTOCOL_ERROR);
    if (send()) c_.linger_close();
    return;
  }
  if (!settings_acked_ && coarse_steady_ms() - settings_sent_ms_ > kSettingsAckMs) return end(NGHTTP2_SETTINGS_TIMEOUT);
  again_ = true;
}

void Http2Session::arm_deadline() {
  const Timeouts& t = c_.shared().timeouts;
  const std::int64_t now = coarse_steady_ms();
  // While a web worker prepares an answer the client may well be silent.
  std::int64_t at = now + (streams_.empty() ? t.idle : std::max(t.idle, t.response + std::chrono::seconds(1))).count();
  // A header block comes whole within the head's time however slowly its pieces trickle in (slowloris), and the
  // server's SETTINGS are acknowledged in time (RFC 9113, 6.5.3): reads do not push these on.
  if (header_started_ms_ >= 0) at = std::min(at, header_started_ms_ + t.request_head.count());
  if (!settings_acked_) at = std::min(at, settings_sent_ms_ + kSettingsAckMs);
  c_.arm_timer(std::chrono::milliseconds(std::max<std::int64_t>(at - now, 0)), Failure::IdleTimeout);
}

void Http2Session::header_block(bool started) {
  header_started_ms_ = started ? (header_started_ms_ >= 0 ? header_started_ms_ : coarse_steady_ms()) : -1;
  arm_deadline();
}

}  // namespace sslbind::serve
