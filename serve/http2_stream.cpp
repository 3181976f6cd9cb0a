#include "serve/http2_stream.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <utility>

#include "serve/connection.hpp"
#include "serve/error_page.hpp"
#include "serve/http2_session.hpp"
#include "serve/worker.hpp"

namespace sslbind::serve {
namespace {

nghttp2_nv field_nv(const std::string& name, const std::string& value) {
  return {reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
          NGHTTP2_NV_FLAG_NONE};
}

std::vector<nghttp2_nv> nv_list(const std::string& status, const std::vector<HttpHeader>& fields) {
  std::vector<nghttp2_nv> nv;
  nv.reserve(fields.size() + 1);
  static const std::string kStatus = ":status";
  if (!status.empty()) nv.push_back(field_nv(kStatus, status));
  for (const HttpHeader& f : fields) nv.push_back(field_nv(f.name, f.value));
  return nv;
}

ssize_t read_body(nghttp2_session*, std::int32_t, std::uint8_t* buffer, std::size_t length, std::uint32_t* flags,
                  nghttp2_data_source* source, void*) {
  return static_cast<Http2Stream*>(source->ptr)->read_body(buffer, length, flags);
}

// RFC 8441 sends no Sec-WebSocket-Key; the web worker's RFC 6455 handshake needs one (16 random bytes, base64).
std::string websocket_key() {
  unsigned char raw[16];
  unsigned char text[32];
  if (RAND_bytes(raw, sizeof raw) != 1) return {};
  const int n = EVP_EncodeBlock(text, raw, sizeof raw);
  return std::string(reinterpret_cast<char*>(text), static_cast<std::size_t>(n));
}

}  // namespace

Http2Stream::Http2Stream(Http2Session& session, std::int32_t id)
    : s_(session),
      id_(id),
      upstream_(session.connection().worker().upstream()),
      exchange_(upstream_, session.connection().shared(), *this, session.client(), [this] { return hold(); }) {}

Http2Stream::~Http2Stream() {
  if (tunnel_) tunnel_->close();
  if (tunnel_buffer_) upstream_.give_buffer(std::move(tunnel_buffer_));
}

// A late completion of the web worker's side finds this stream. The connection may be gone by then: its session
// ended every stream's exchange and tunnel first (closed()), so such a completion is ignored before it looks further.
std::shared_ptr<void> Http2Stream::hold() { return shared_from_this(); }

void Http2Stream::field(std::string_view name, std::string_view value) { request_.add(name, value); }

void Http2Stream::headers_end(bool end_stream) {
  headers_ended_ = true;
  body_follows_ = !end_stream;
  request_ended_ = end_stream;
  s_.schedule(*this);
}

void Http2Stream::data(const std::uint8_t* bytes, std::size_t size) {
  unacked_ += size;
  exchange_.record().bytes_in += size;
  if (done_ && !tunnel_) return consume(size);  // nothing takes them any more
  body_in_.append(reinterpret_cast<const char*>(bytes), size);
  s_.schedule(*this);
}

void Http2Stream::request_end() {
  request_ended_ = true;
  s_.schedule(*this);
}

void Http2Stream::closed(bool connection_ending) {
  closed_ = true;
  if (!done_) {
    // Go's rule: the request under way ends with the stream; its web worker connection is closed, not pooled.
    exchange_.cancel();
    done_ = true;
  }
  if (tunnel_) tunnel_->close();
  if (!connection_ending) consume(unacked_);  // the connection's window is not lost with the stream
}

void Http2Stream::advance() {
  scheduled = false;
  if (closed_) return;
  if (headers_ended_ && !started_) start_exchange();
  if (tunnel_) return tunnel_write();
  if (started_ && !done_ && !websocket_) give_body();  // a WebSocket's bytes wait for the tunnel
  if (read_on_due_ && !done_) {
    read_on_due_ = false;
    exchange_.read_on();
  }
}

void Http2Stream::start_exchange() {
  started_ = true;
  exchange_.begin(steady_ms());
  exchange_.record().protocol = "HTTP/2";
  // Whether a body follows is the HEADERS frame's to say: its DATA may have come in the same read, before this runs.
  auto request = request_.finish(body_follows_, request_.extended_connect() ? websocket_key() : std::string());
  if (!request.head) {
    // The same answers as for HTTP/1.1 (400, 405, 414, 431); the client's error counts against its budget.
    s_.glitch();
    exchange_.abort(request.status, Failure::BadRequest);
    return answer(request.status);
  }
  websocket_ = request.websocket;
  chunked_request_ = request.head->chunked;
  exchange_.start(std::move(*request.head), s_.connection().worker().snapshot());
}

void Http2Stream::give_body() {
  if (exchange_.failed() || end_given_ || (body_in_.empty() && !request_ended_)) return;
  std::string framed;
  if (chunked_request_) {
    if (!body_in_.empty()) {
      char size[24];
      framed.reserve(body_in_.size() + 32);
      framed.append(size, static_cast<std::size_t>(std::snprintf(size, sizeof size, "%zx\r\n", body_in_.size())));
      framed += body_in_;
      framed += "\r\n";
    }
    if (request_ended_) framed += "0\r\n" + request_.trailer_text() + "\r\n";
  } else {
    framed = std::move(body_in_);
  }
  body_in_.clear();
  given_ = unacked_;
  end_given_ = request_ended_;
  exchange_.send(framed, request_ended_);
}

void Http2Stream::request_drained() {
  // The web worker took everything given: the client may send that much more.
  consume(given_);
}

void Http2Stream::consume(std::size_t bytes) {
  if (bytes == 0) return;
  nghttp2_session_consume(s_.engine(), id_, bytes);
  unacked_ -= bytes;
  given_ -= std::min(given_, bytes);
  s_.pump_soon();
}

void Http2Stream::response_head(const HttpHead& head) {
  if (head.status == 101) {
    // RFC 8441: the extended CONNECT is answered 200, with the WebSocket fields of the 101 but its accept key.
    for (HttpHeader& f : http2_fields(head.headers)) {
      if (f.name != "sec-websocket-accept") tunnel_fields_.push_back(std::move(f));
    }
    return;
  }
  if (head.status < 200) {
    if (submitted_) return;
    const std::string status = std::to_string(head.status);
    const auto fields = http2_fields(head.headers);
    const auto nv = nv_list(status, fields);
    nghttp2_submit_headers(s_.engine(), NGHTTP2_FLAG_NONE, id_, nullptr, nv.data(), nv.size(), nullptr);
    return;
  }
  chunked_response_ = head.chunked;
  submit_response(head.status, http2_fields(head.headers), true);
}

void Http2Stream::response_data(std::string_view bytes) {
  if (chunked_response_) {
    chunks_.feed(bytes, body_out_);
  } else {
    body_out_.append(bytes);
  }
}

void Http2Stream::response_flush(bool ended) {
  response_ended_ = ended;
  if (deferred_) {
    deferred_ = false;
    nghttp2_session_resume_data(s_.engine(), id_);
  }
  if (ended) {
    finish();
  } else if (held() < s_.limits().stream_buffer) {
    exchange_.read_on();
  } else {
    read_paused_ = true;  // read_body() asks for more once nghttp2 has taken some
  }
  s_.pump_soon();
}

void Http2Stream::failed(int status) {
  done_ = true;
  if (!submitted_) return answer(status);
  reset(NGHTTP2_INTERNAL_ERROR);  // the client has part of a response: cut it
}

void Http2Stream::finish() {
  if (done_) return;
  done_ = true;
  exchange_.complete(false);
  consume(unacked_);  // a body the web worker did not wait for is not waited for either
}

void Http2Stream::submit_response(int status, const std::vector<HttpHeader>& fields, bool body) {
  submitted_ = true;
  const std::string text = std::to_string(status);
  const auto nv = nv_list(text, fields);
  nghttp2_data_provider provider{};
  provider.source.ptr = this;
  provider.read_callback = serve::read_body;
  if (nghttp2_submit_response(s_.engine(), id_, nv.data(), nv.size(), body ? &provider : nullptr) != 0) {
    reset(NGHTTP2_INTERNAL_ERROR);
  }
  s_.pump_soon();
}

void Http2Stream::answer(int status) {
  done_ = true;
  body_out_ = error_body(status);
  out_at_ = 0;
  response_ended_ = true;
  std::vector<HttpHeader> fields{{"content-type", "text/html; charset=utf-8"},
                                 {"content-length", std::to_string(body_out_.size())}};
  if (status == 405) fields.push_back({"allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH"});
  submit_response(status, fields, true);
}

void Http2Stream::reset(std::uint32_t code) {
  nghttp2_submit_rst_stream(s_.engine(), NGHTTP2_FLAG_NONE, id_, code);
  s_.pump_soon();
}

ssize_t Http2Stream::read_body(std::uint8_t* buffer, std::size_t length, std::uint32_t* flags) {
  const std::size_t n = std::min(length, held());
  if (n != 0) std::memcpy(buffer, body_out_.data() + out_at_, n);
  out_at_ += n;
  exchange_.record().bytes_out += n;
  if (out_at_ == body_out_.size()) {
    body_out_.clear();
    out_at_ = 0;
  }
  if (read_paused_ && held() < s_.limits().stream_buffer) {
    read_paused_ = false;
    if (tunnel_) {
      tunnel_read();
    } else {
      read_on_due_ = true;
      s_.schedule(*this);
    }
  }
  if (held() == 0 && response_ended_) {
    *flags |= NGHTTP2_DATA_FLAG_EOF;
    if (!chunks_.trailers().empty()) {
      const auto trailers = http2_fields(chunks_.trailers(), true);
      const auto nv = nv_list({}, trailers);
      if (nghttp2_submit_trailer(s_.engine(), id_, nv.data(), nv.size()) == 0)
        *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
    }
  } else if (n == 0) {
    deferred_ = true;
    return NGHTTP2_ERR_DEFERRED;
  }
  return static_cast<ssize_t>(n);
}

void Http2Stream::switched(std::unique_ptr<UpstreamConnection> upstream, std::string_view rest) {
  done_ = true;  // the exchange has logged the upgrade; bytes go both ways unparsed from here
  tunnel_ = std::move(upstream);
  body_out_.append(rest);
  submit_response(200, tunnel_fields_, true);
  tunnel_fields_.clear();
  tunnel_read();
  tunnel_write();
}

void Http2Stream::tunnel_read() {
  if (!tunnel_ || closed_) return;
  if (held() >= s_.limits().stream_buffer) {
    read_paused_ = true;  // read_body() reads on once the client has taken some
    return;
  }
  if (!tunnel_buffer_) tunnel_buffer_ = upstream_.take_buffer();
  tunnel_->read_some(tunnel_buffer_.get(), Upstream::kBufferSize, [this, held = hold()](bool ok, std::size_t n) {
    if (closed_) return;
    if (ok) body_out_.append(tunnel_buffer_.get(), n);
    response_ended_ = !ok;  // the web worker closed: the stream ends
    if (deferred_) {
      deferred_ = false;
      nghttp2_session_resume_data(s_.engine(), id_);
    }
    s_.pump_soon();
    if (ok) tunnel_read();
  });
}

void Http2Stream::tunnel_write() {
  if (!tunnel_ || tunnel_writing_ || closed_) return;
  if (body_in_.empty()) {
    if (request_ended_ && !end_given_) {
      end_given_ = true;
      tunnel_->shutdown_send();  // the client ended its side: pass the half-close on
    }
    return;
  }
  auto bytes = std::make_shared<const std::string>(std::move(body_in_));
  body_in_.clear();
  given_ = unacked_;
  tunnel_writing_ = true;
  tunnel_->write(bytes, [this, held = hold()](bool ok) {
    tunnel_writing_ = false;
    if (closed_) return;
    if (!ok) return reset(NGHTTP2_CONNECT_ERROR);
    consume(given_);
    tunnel_write();
  });
}

}  // namespace sslbind::serve
