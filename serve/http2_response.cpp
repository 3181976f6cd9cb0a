#include "serve/http2_response.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "serve/http_rules.hpp"
#include "serve/http_syntax.hpp"

namespace sslbind::serve {
namespace {

bool dropped(std::string_view lower, bool trailer) {
  return connection_specific_field(lower) || lower == "te" || (trailer && forbidden_in_trailer(lower));
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::vector<HttpHeader> http2_fields(const std::vector<HttpHeader>& fields, bool trailer) {
  // The options of Connection name more fields that end at this hop (RFC 9110, 7.6.1): looked up in place, as a
  // response rarely has more than "keep-alive" there.
  const auto named = [&fields](std::string_view lower) {
    for (const HttpHeader& f : fields) {
      if (!text::iequals(f.name, "connection")) continue;
      const bool absent = http::for_each_list_element(
          f.value, [lower](std::string_view option) { return !text::iequals(option, lower); });
      if (!absent) return true;
    }
    return false;
  };
  std::vector<HttpHeader> out;
  out.reserve(fields.size());
  for (const HttpHeader& f : fields) {
    std::string name = text::to_lower(f.name);
    if (dropped(name, trailer) || named(name)) continue;
    out.push_back({std::move(name), f.value});
  }
  return out;
}

void ChunkedDecoder::feed(std::string_view in, std::string& out) {
  for (std::size_t at = 0; at < in.size() && state_ != State::Ended;) {
    const char c = in[at];
    switch (state_) {
      case State::Size:
        if (text::is_hex_digit(c)) {
          // Past 2^60 the reader upstream has refused the chunk already; stop growing rather than overflow.
          if (remaining_ < (std::uint64_t{1} << 60)) remaining_ = remaining_ * 16 + text::hex_value(c);
        } else {
          state_ = c == '\r' ? State::SizeLf : c == '\n' ? State::Data : State::Extension;
          if (c == '\n' && remaining_ == 0) state_ = State::Trailer;
        }
        ++at;
        break;
      case State::Extension:
        if (c == '\n') state_ = remaining_ == 0 ? State::Trailer : State::Data;
        ++at;
        break;
      case State::SizeLf:
        state_ = remaining_ == 0 ? State::Trailer : State::Data;
        ++at;
        break;
      case State::Data: {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size() - at));
        out.append(in.substr(at, n));
        at += n;
        remaining_ -= n;
        if (remaining_ == 0) state_ = State::DataCr;
        break;
      }
      case State::DataCr:
        state_ = c == '\r' ? State::DataLf : State::Size;
        ++at;
        break;
      case State::DataLf:
        state_ = State::Size;
        ++at;
        break;
      case State::Trailer:
        ++at;
        if (c == '\n') {
          if (!line_.empty() && line_.back() == '\r') line_.pop_back();
          if (line_.empty()) {
            state_ = State::Ended;
          } else {
            trailer_line();
          }
          line_.clear();
        } else if (line_.size() < 64 * 1024) {
          line_ += c;
        }
        break;
      case State::Ended: break;
    }
  }
}

void ChunkedDecoder::trailer_line() {
  const std::size_t colon = line_.find(':');
  if (colon == std::string::npos || colon == 0) return;
  trailers_.push_back({line_.substr(0, colon), trimmed(std::string_view(line_).substr(colon + 1))});
}

}  // namespace sslbind::serve
