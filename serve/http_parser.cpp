#include "serve/http_parser.hpp"

#include <algorithm>
#include <cstring>

#include "core/text.hpp"
#include "serve/http_head_text.hpp"
#include "serve/http_rules.hpp"
#include "serve/http_syntax.hpp"

namespace sslbind::serve {
namespace {

constexpr std::size_t kMaxChunkDigits = 15;      // 2^60 bytes: no length overflows
constexpr std::size_t kMaxChunkExtension = 256;  // extensions are read past, never kept

}  // namespace

const std::string* HttpHead::find(std::string_view name) const {
  for (const HttpHeader& h : headers) {
    if (text::iequals(h.name, name)) return &h.value;
  }
  return nullptr;
}

std::size_t HttpHead::count(std::string_view name) const {
  std::size_t n = 0;
  for (const HttpHeader& h : headers) n += text::iequals(h.name, name) ? 1U : 0U;
  return n;
}

HttpParser::HttpParser(Kind kind, HttpLimits limits) : kind_(kind), limits_(limits) {}

HttpParser::Step HttpParser::fail(Step step, int status, std::string why) {
  state_ = State::Failed;
  error_status_ = status;
  error_ = std::move(why);
  step.error_status = error_status_;
  step.error = error_;
  return step;
}

void HttpParser::begin_message() {
  state_ = State::Head;
  buffer_.clear();
  if (buffer_.capacity() > 4096) std::string().swap(buffer_);  // an idle keep-alive connection keeps no large head
  line_length_ = 0;
  lines_ = 0;
  last_cr_ = false;
  no_body_ = false;
  upgrade_asked_ = false;
}

HttpParser::Step HttpParser::feed(const char* data, std::size_t size) {
  Step step;
  switch (state_) {
    case State::Failed: return fail(step, error_status_, error_);
    case State::Head: return feed_head(data, size);
    case State::EndPending: {
      // An interim response (100, 103) leaves what the request asked for to the final one.
      const bool interim = kind_ == Kind::Response && head_.status < 200 && head_.status != 101;
      const bool no_body = no_body_;
      const bool upgrade_asked = upgrade_asked_;
      begin_message();
      if (interim) {
        no_body_ = no_body;
        upgrade_asked_ = upgrade_asked;
      }
      step.end = true;
      return step;
    }
    case State::UntilClose: step.consumed = size; return step;
    case State::Length: {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, size));
      remaining_ -= n;
      step.consumed = n;
      if (remaining_ == 0) {
        begin_message();
        step.end = true;
      }
      return step;
    }
    default: return feed_chunked(data, size);
  }
}

HttpParser::Step HttpParser::feed_head(const char* data, std::size_t size) {
  Step step;
  const bool request = kind_ == Kind::Request;
  // Every byte is checked as it comes, so that a refusal never waits for the end of a head that will not come:
  // a CR must be followed by LF, an LF preceded by CR (RFC 9112, 2.2), and the head ends at its first empty line.
  for (std::size_t i = 0; i < size; ++i) {
    const char c = data[i];
    if (last_cr_ != (c == '\n')) return fail(step, 400, last_cr_ ? "a bare CR in the head" : "a bare LF in the head");
    last_cr_ = c == '\r';
    if (c == '\r') continue;
    const auto byte = static_cast<unsigned char>(c);
    // No control byte but HTAB in a field line; none at all, nor a non-ASCII byte, in a request-line: TLS or
    // other binary sent to the HTTP port is refused at its first byte.
    const bool control = (byte < 0x20 && c != '\t' && c != '\n') || byte == 0x7F;
    if (control || (request && lines_ == 0 && (c == '\t' || byte >= 0x80))) {
      return fail(step, 400, lines_ == 0 ? "a byte a request-line may not hold" : "a control byte in the head");
    }
    if (c != '\n') {
      if (++line_length_ > (lines_ == 0 ? limits_.max_target + 64 : limits_.max_head)) {
        if (lines_ == 0 && request) return fail(step, 414, "the request-target is longer than 8 KiB");
        return fail(step, lines_ == 0 ? 400 : 431,
                    lines_ == 0 ? "the status line is too long"
                                : "a header field "
                                  "is too long");
      }
      continue;
    }
    const bool empty = line_length_ == 0;
    line_length_ = 0;
    if (empty && lines_ == 0) continue;  // empty lines before a request-line are ignored (RFC 9112, 2.2)
    if (!empty) {
      if (++lines_ > limits_.max_headers + 1) return fail(step, 431, "the head has more than 100 header fields");
      continue;
    }
    // The empty line: the head is whole.
    step.consumed = i + 1;
    if (buffer_.size() + step.consumed > limits_.max_head) return fail(step, 431, "the head is longer than 32 KiB");
    if (buffer_.empty()) return accept_head(std::string_view(data, step.consumed), step);
    buffer_.append(data, step.consumed);
    const std::string text = std::move(buffer_);
    buffer_.clear();
    return accept_head(text, step);
  }
  if (buffer_.size() + size > limits_.max_head) {
    return fail(step, lines_ == 0 && request ? 414 : 431,
                lines_ == 0 && request ? "the request-target is longer than 8 KiB" : "the head is longer than 32 KiB");
  }
  buffer_.append(data, size);
  step.consumed = size;
  return step;
}

HttpParser::Step HttpParser::accept_head(std::string_view text, Step step) {
  head_ = HttpHead{};
  const bool request = kind_ == Kind::Request;
  const HttpRefusal split =
      request ? split_request_head(text, limits_.max_target, head_) : split_response_head(text, head_);
  if (split.status != 0) return fail(step, split.status, split.why);
  BodyFraming framing = BodyFraming::None;
  const HttpRefusal refusal =
      request ? check_request(head_, framing) : check_response(head_, no_body_, upgrade_asked_, framing);
  if (refusal.status != 0) return fail(step, refusal.status, refusal.why);
  step.head = true;
  switch (framing) {
    case BodyFraming::None: state_ = State::EndPending; break;
    case BodyFraming::Length:
      state_ = State::Length;
      remaining_ = *head_.content_length;
      break;
    case BodyFraming::Chunked:
      state_ = State::ChunkSize;
      chunk_digits_ = 0;
      remaining_ = 0;
      trailer_bytes_ = 0;
      break;
    case BodyFraming::UntilClose: state_ = State::UntilClose; break;
  }
  return step;
}

// chunked-body (RFC 9112, 7.1): hex size, optional extensions, CRLF, data, CRLF; a 0 size, trailer fields, CRLF.
// Every CRLF is required as written: what the web worker reads again is what this reader accepted.
HttpParser::Step HttpParser::feed_chunked(const char* data, std::size_t size) {
  Step step;
  const int bad = kind_ == Kind::Request ? 400 : 502;
  std::size_t i = 0;
  while (i < size) {
    const char c = data[i];
    switch (state_) {
      case State::ChunkSize:
        if (text::is_hex_digit(c)) {
          if (++chunk_digits_ > kMaxChunkDigits) return fail(step, bad, "a chunk size of more than 15 digits");
          remaining_ = remaining_ * 16 + text::hex_value(c);
        } else if (chunk_digits_ > 0 && (c == ';' || c == ' ' || c == '\t')) {
          state_ = State::ChunkExt;
          chunk_extension_ = c == ';';
          line_length_ = 1;
        } else if (chunk_digits_ > 0 && c == '\r') {
          state_ = State::ChunkLf;
        } else {
          return fail(step, bad, "a bad chunk size");
        }
        break;
      case State::ChunkExt:
        if (c == '\r') {
          if (!chunk_extension_) return fail(step, bad, "whitespace after a chunk size without an extension");
          state_ = State::ChunkLf;
        } else if (c == ';') {
          chunk_extension_ = true;
        } else if (!chunk_extension_ && c != ' ' && c != '\t') {
          return fail(step, bad, "a bad chunk size");
        } else if (!http::is_field_value(std::string_view(&c, 1)) || ++line_length_ > kMaxChunkExtension) {
          return fail(step, bad, "a bad chunk extension");
        }
        break;
      case State::ChunkLf:
        if (c != '\n') return fail(step, bad, "a bare CR after a chunk size");
        state_ = remaining_ == 0 ? State::Trailer : State::Data;
        chunk_digits_ = 0;
        break;
      case State::Data: {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, size - i));
        remaining_ -= n;
        i += n;
        if (remaining_ == 0) state_ = State::DataCr;
        continue;
      }
      case State::DataCr:
        if (c != '\r') return fail(step, bad, "chunk data not followed by CRLF");
        state_ = State::DataLf;
        break;
      case State::DataLf:
        if (c != '\n') return fail(step, bad, "chunk data not followed by CRLF");
        state_ = State::ChunkSize;
        break;
      case State::Trailer:
        if (c == '\r') {
          state_ = State::TrailerLf;
        } else if (buffer_.size() + trailer_bytes_ >= limits_.max_head) {
          return fail(step, kind_ == Kind::Request ? 431 : 502, "the trailer section is longer than 32 KiB");
        } else {
          buffer_ += c;
        }
        break;
      case State::TrailerLf: {
        if (c != '\n') return fail(step, bad, "a bare CR in the trailer section");
        if (buffer_.empty()) {
          step.consumed = i + 1;
          step.end = true;
          begin_message();
          return step;
        }
        // A trailer field is read as a header field is, and none may be one the proxy frames or routes by: a web
        // worker that merges trailers into the head must not find a second length, host or forwarding field there.
        const auto colon = buffer_.find(':');
        const std::string_view name = std::string_view(buffer_).substr(0, colon == std::string::npos ? 0 : colon);
        if (colon == std::string::npos || !http::is_token(name) ||
            !http::is_field_value(std::string_view(buffer_).substr(colon + 1))) {
          return fail(step, bad, "a malformed trailer field");
        }
        if (http::cgi_equals(name, "content-length") || http::cgi_equals(name, "transfer-encoding") ||
            http::cgi_equals(name, "host") || http::cgi_equals(name, "connection") || forwarding_field(name)) {
          return fail(step, bad, "a trailer field " + text::quote(name) + " that only a head may carry");
        }
        trailer_bytes_ += buffer_.size();
        buffer_.clear();
        state_ = State::Trailer;
        break;
      }
      default: return fail(step, bad, "the body reader is in no body state");
    }
    ++i;
  }
  step.consumed = size;
  return step;
}

}  // namespace sslbind::serve
