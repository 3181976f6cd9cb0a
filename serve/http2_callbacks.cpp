// nghttp2's callbacks for Http2Session: they record what came on the streams and count what the flood defences
// count; the streams act once nghttp2 has returned.
#include <nghttp2/nghttp2.h>

#include "serve/connection.hpp"
#include "serve/http2_session.hpp"
#include "serve/http2_stream.hpp"

namespace sslbind::serve {
namespace {

Http2Session& session_of(void* user_data) { return *static_cast<Http2Session*>(user_data); }

std::string_view view(const std::uint8_t* p, std::size_t n) { return {reinterpret_cast<const char*>(p), n}; }

int begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
  return session_of(user_data).on_begin_headers(*frame);
}

int header(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name, std::size_t name_size,
           const std::uint8_t* value, std::size_t value_size, std::uint8_t, void* user_data) {
  return session_of(user_data).on_header(*frame, view(name, name_size), view(value, value_size));
}

int frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
  return session_of(user_data).on_frame_recv(*frame);
}

int data_chunk(nghttp2_session*, std::uint8_t, std::int32_t stream_id, const std::uint8_t* data, std::size_t size,
               void* user_data) {
  return session_of(user_data).on_data(stream_id, data, size);
}

int stream_close(nghttp2_session*, std::int32_t stream_id, std::uint32_t error_code, void* user_data) {
  return session_of(user_data).on_stream_close(stream_id, error_code);
}

int frame_send(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
  return session_of(user_data).on_frame_send(*frame);
}

int invalid_frame(nghttp2_session*, const nghttp2_frame*, int, void* user_data) {
  return session_of(user_data).on_invalid_frame();
}

Http2Stream* stream_of(nghttp2_session* ng, std::int32_t id) {
  return static_cast<Http2Stream*>(nghttp2_session_get_stream_user_data(ng, id));
}

}  // namespace

nghttp2_session_callbacks* http2_callbacks() {
  // Made once and shared: nghttp2 copies them into each session.
  static nghttp2_session_callbacks* const callbacks = [] {
    nghttp2_session_callbacks* c = nullptr;
    nghttp2_session_callbacks_new(&c);
    nghttp2_session_callbacks_set_on_begin_headers_callback(c, begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(c, header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(c, frame_recv);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(c, data_chunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(c, stream_close);
    nghttp2_session_callbacks_set_on_frame_send_callback(c, frame_send);
    nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(c, invalid_frame);
    return c;
  }();
  return callbacks;
}

int Http2Session::on_begin_headers(const nghttp2_frame& frame) {
  if (frame.hd.type != NGHTTP2_HEADERS || frame.headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
  Http2Stats& stats = c_.shared().stats.http2;
  stats.streams.fetch_add(1, std::memory_order_relaxed);
  // nginx's per-read limit: many new streams in one read are a flood, not a page's assets.
  if (++new_streams_in_read_ > limits_.max_new_streams_per_read) {
    glitch();
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
  }
  if (++total_streams_ == limits_.max_total_streams) {
    // This stream is the connection's last: a graceful GOAWAY sends the client to a new connection.
    nghttp2_submit_goaway(ng_, NGHTTP2_FLAG_NONE, frame.hd.stream_id, NGHTTP2_NO_ERROR, nullptr, 0);
  }
  auto stream = std::make_shared<Http2Stream>(*this, frame.hd.stream_id);
  nghttp2_session_set_stream_user_data(ng_, frame.hd.stream_id, stream.get());
  streams_.emplace(frame.hd.stream_id, std::move(stream));
  header_block(true);
  return 0;
}

int Http2Session::on_header(const nghttp2_frame& frame, std::string_view name, std::string_view value) {
  Http2Stream* stream = stream_of(ng_, frame.hd.stream_id);
  if (stream == nullptr || frame.hd.type != NGHTTP2_HEADERS) return 0;
  if (frame.headers.cat == NGHTTP2_HCAT_REQUEST) {
    stream->field(name, value);
  } else if (frame.headers.cat == NGHTTP2_HCAT_HEADERS) {
    stream->trailer(name, value);  // sent on after the last chunk of a chunked body
  }
  return 0;
}

int Http2Session::on_frame_recv(const nghttp2_frame& frame) {
  Http2Stats& stats = c_.shared().stats.http2;
  const bool end_stream = (frame.hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
  switch (frame.hd.type) {
    case NGHTTP2_HEADERS:
      header_block(false);
      if (Http2Stream* stream = stream_of(ng_, frame.hd.stream_id)) {
        if (frame.headers.cat == NGHTTP2_HCAT_REQUEST) {
          // RFC 9113, 8.1.1: a malformed request is a stream error of type PROTOCOL_ERROR.
          if (stream->malformed()) {
            nghttp2_submit_rst_stream(ng_, NGHTTP2_FLAG_NONE, frame.hd.stream_id, NGHTTP2_PROTOCOL_ERROR);
            return 0;
          }
          stream->headers_end(end_stream);
        } else if (end_stream) {
          stream->request_end();
        }
      }
      return 0;
    case NGHTTP2_DATA:
      if (Http2Stream* stream = stream_of(ng_, frame.hd.stream_id); stream != nullptr && end_stream) {
        stream->request_end();
      }
      return 0;
    case NGHTTP2_SETTINGS:
      if ((frame.hd.flags & NGHTTP2_FLAG_ACK) != 0) {
        settings_acked_ = true;
        arm_deadline();
      } else if (!settings_.add(static_cast<std::uint32_t>(frame.hd.length / 6), coarse_steady_ms())) {
        // Counted from the frame's length, 6 bytes an entry: nghttp2 hands over one entry per identifier.
        end(NGHTTP2_ENHANCE_YOUR_CALM);  // HTTP.SYS's Http2MaxSettingsPerMinute: the connection ends at once
      }
      return 0;
    case NGHTTP2_RST_STREAM: stats.client_resets.fetch_add(1, std::memory_order_relaxed); return 0;
    default: return 0;
  }
}

int Http2Session::on_data(std::int32_t stream_id, const std::uint8_t* data, std::size_t size) {
  if (Http2Stream* stream = stream_of(ng_, stream_id)) {
    stream->data(data, size);
  } else {
    nghttp2_session_consume_connection(ng_, size);  // a stream already gone: the window is not lost
  }
  return 0;
}

int Http2Session::on_stream_close(std::int32_t stream_id, std::uint32_t) {
  if (Http2Stream* stream = stream_of(ng_, stream_id)) {
    nghttp2_session_set_stream_user_data(ng_, stream_id, nullptr);
    stream->closed();
    retired_.push_back(stream_id);
    again_ = true;  // run_scheduled() lets the map go of it
  }
  return 0;
}

int Http2Session::on_frame_send(const nghttp2_frame& frame) {
  Http2Stats& stats = c_.shared().stats.http2;
  if (frame.hd.type == NGHTTP2_RST_STREAM) {
    stats.server_resets.fetch_add(1, std::memory_order_relaxed);
    // A reset the client made the server send (MadeYouReset): counted against its budget.
    if (frame.rst_stream.error_code != NGHTTP2_NO_ERROR && frame.rst_stream.error_code != NGHTTP2_CANCEL) glitch();
  } else if (frame.hd.type == NGHTTP2_GOAWAY) {
    stats.goaways.fetch_add(1, std::memory_order_relaxed);
    // Every defence ends a connection this way: nghttp2's (rapid reset, SETTINGS and PING floods, CONTINUATION)
    // and sslbind's (the error budget, the per-read stream limit, SETTINGS per minute).
    if (frame.goaway.error_code == NGHTTP2_ENHANCE_YOUR_CALM)
      stats.flood_closes.fetch_add(1, std::memory_order_relaxed);
  }
  return 0;
}

int Http2Session::on_invalid_frame() {
  glitch();
  return 0;
}

}  // namespace sslbind::serve
