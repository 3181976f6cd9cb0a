// HTTP/1.1 as the proxy reads it, on any bytes: requests and responses, cut into pieces at a place the input chooses.
// The reader must never crash and must take the same decisions whatever the cut. And a differential oracle: what the
// proxy would send on (each accepted head rewritten, each body's bytes as they came), read again by the same strict
// reader, must give exactly the messages the first reading accepted: no request split in two, no framing changed.
#include <cstdint>
#include <string>
#include <vector>

#include "serve/http_forward.hpp"
#include "serve/http_parser.hpp"

using namespace sslbind;
using namespace sslbind::serve;

namespace {

struct Outcome {
  std::vector<std::string> heads;  // each accepted head, as sent on
  std::string sent;                // every byte sent on: heads rewritten, bodies as they came
  std::size_t ended = 0;           // messages read to their end
  int error = 0;
  friend bool operator==(const Outcome& a, const Outcome& b) {
    return a.heads == b.heads && a.sent == b.sent && a.ended == b.ended && a.error == b.error;
  }
};

std::string sent_head(HttpParser::Kind kind, const HttpHead& head) {
  return kind == HttpParser::Kind::Request ? backend_request_head(head, {"10.0.0.1", "x"})
                                           : client_response_head(head, head.keep_alive);
}

Outcome parse(HttpParser::Kind kind, const char* data, std::size_t size, std::size_t piece, HttpLimits limits = {}) {
  HttpParser parser(kind, limits);
  Outcome out;
  std::size_t at = 0;
  bool in_body = false;
  for (int guard = 0; guard < 1'000'000; ++guard) {
    const std::size_t n = piece == 0 ? size - at : std::min(piece, size - at);
    const auto step = parser.feed(data + at, n);
    if (step.error_status != 0) {
      out.error = step.error_status;
      return out;
    }
    // A call that consumes nothing must report something: a reader that waits on itself would spin the proxy.
    if (step.consumed == 0 && !step.head && !step.end && n > 0) __builtin_trap();
    if (in_body) out.sent.append(data + at, step.consumed);
    at += step.consumed;
    if (step.head) {
      out.heads.push_back(sent_head(kind, parser.head()));
      out.sent += out.heads.back();
      in_body = true;
    }
    if (step.end) {
      in_body = false;
      ++out.ended;
    }
    if (at == size && !step.head && !step.end) return out;
  }
  __builtin_trap();  // no input of this size needs a million steps
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
    // The oracle. Responses that end with their connection are read to the end of the input both times.
    // The fields the proxy adds may take a head past the limits a first reading applies: not what this checks.
    const Outcome again = parse(kind, whole.sent.data(), whole.sent.size(), 0, {8 * 1024, 64 * 1024, 200});
    if (again.error != 0 || again.heads != whole.heads || again.ended != whole.ended || again.sent != whole.sent) {
      __builtin_trap();
    }
  }
  return 0;
}
