// HTTP/1.1 as the proxy reads it, on any bytes: requests and responses, cut into pieces at a place the input chooses.
// The parser must never crash, must take the same decisions whatever the cut, and a head it accepts must turn into
// the head sent on.
#include <cstdint>
#include <string>
#include <vector>

#include "serve/http_forward.hpp"
#include "serve/http_parser.hpp"

using namespace sslbind;
using namespace sslbind::serve;

namespace {

struct Outcome {
  std::vector<std::string> heads;
  int error = 0;
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

Outcome parse(HttpParser::Kind kind, const char* data, std::size_t size, std::size_t piece) {
  HttpParser parser(kind);
  Outcome out;
  std::size_t at = 0;
  for (int guard = 0; guard < 100000; ++guard) {
    const std::size_t n = piece == 0 ? size - at : std::min(piece, size - at);
    const auto step = parser.feed(data + at, n);
    if (step.error_status != 0) {
      out.error = step.error_status;
      return out;
    }
    at += step.consumed;
    if (step.head) {
      const HttpHead& head = parser.head();
      out.heads.push_back(kind == HttpParser::Kind::Request
                              ? backend_request_head(head, {*IpPort::parse("10.0.0.1:1"), "x"})
                              : client_response_head(head, head.keep_alive));
    }
    if (step.upgraded) return out;
    if (at == size && !step.head && !step.end) return out;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t piece = data[0] % 8;  // 0: whole, else pieces of 1-7 bytes
  const char* text = reinterpret_cast<const char*>(data + 1);
  for (const auto kind : {HttpParser::Kind::Request, HttpParser::Kind::Response}) {
    const Outcome whole = parse(kind, text, size - 1, 0);
    const Outcome cut = parse(kind, text, size - 1, piece);
    // A refusal may come earlier in the pieces (a limit counts what came so far), but what is accepted is the same.
    if (whole.error == 0 && cut.error == 0 && !(whole == cut)) __builtin_trap();
  }
  return 0;
}
