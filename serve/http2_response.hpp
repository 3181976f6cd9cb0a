#pragma once
// A web worker's HTTP/1.1 response as an HTTP/2 client is sent it: its fields without the connection-specific ones
// (RFC 9113, 8.2.2) in lower case, and its body out of HTTP/1.1's chunked framing, with the trailer fields kept.
// The exchange's reader has already checked the framing; the decoder still takes any input without fault.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "serve/http_parser.hpp"

namespace sslbind::serve {

// The fields of a response head or of a trailer, for HTTP/2: names in lower case; Connection, the fields it names,
// Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade and TE dropped. `trailer`: framing and routing fields are
// dropped too (RFC 9110, 6.5.1).
std::vector<HttpHeader> http2_fields(const std::vector<HttpHeader>& fields, bool trailer = false);

class ChunkedDecoder {
 public:
  // Appends the data bytes of `in` to `out`; chunk sizes, extensions and CRLFs are dropped, trailer fields kept.
  void feed(std::string_view in, std::string& out);
  bool ended() const { return state_ == State::Ended; }
  const std::vector<HttpHeader>& trailers() const { return trailers_; }

 private:
  enum class State { Size, Extension, SizeLf, Data, DataCr, DataLf, Trailer, Ended };
  void trailer_line();

  State state_ = State::Size;
  std::uint64_t remaining_ = 0;
  std::string line_;  // a trailer line in the making
  std::vector<HttpHeader> trailers_;
};

}  // namespace sslbind::serve
