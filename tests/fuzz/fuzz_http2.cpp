// HTTP/2 requests as the front end turns them into HTTP/1.1 for the web farm, on any fields: the input is a list of
// fields, each "name\0value\n". Whatever the fields, the mapping must not crash, and a request it accepts must read
// back, once rewritten for the web worker, as exactly one request with the same method, target, host and fields: a
// byte of a field that ended a line would forge another. The chunked decoder of responses takes the same bytes.
#include <cstdint>
#include <string>
#include <string_view>

#include "serve/http2_request.hpp"
#include "serve/http2_response.hpp"
#include "serve/http_forward.hpp"
#include "serve/http_parser.hpp"

using namespace sslbind::serve;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Http2Request request;
  for (std::size_t at = 0; at < input.size();) {
    const std::size_t end = std::min(input.find('\n', at), input.size());
    const std::string_view field = input.substr(at, end - at);
    const std::size_t nul = field.find('\0');
    if (!request.add(field.substr(0, nul), nul == std::string_view::npos ? "" : field.substr(nul + 1))) break;
    at = end + 1;
  }
  const bool body = size % 2 == 1;
  const auto result = request.finish(body, "dGhlIHNhbXBsZSBub25jZQ==");
  if (result.head) {
    const std::string sent = backend_request_head(*result.head, {"10.0.0.1", ""});
    // The front end adds its forwarding fields: the re-reading allows for them.
    HttpParser again(HttpParser::Kind::Request, HttpLimits{1 << 20, 1 << 20, 10'000});
    const auto step = again.feed(sent.data(), sent.size());
    if (step.error_status != 0 || !step.head || step.consumed != sent.size()) __builtin_trap();
    const HttpHead& h = again.head();
    if (h.method != result.head->method || h.path != result.head->path || h.authority != result.head->authority ||
        h.chunked != result.head->chunked || h.content_length != result.head->content_length) {
      __builtin_trap();
    }
  } else if (result.status < 400 || result.status > 505) {
    __builtin_trap();
  }
  ChunkedDecoder decoder;
  std::string out;
  decoder.feed(input, out);
  if (out.size() > input.size()) __builtin_trap();
  return 0;
}
