#pragma once
// HTTP/1.1 messages as the front end reads them: requests from clients, responses from web workers. sslbind's own
// strict reader of RFC 9112 (ARCHITECTURE.md says why it is not llhttp): every byte of a head is checked against
// the grammar before a head is accepted, bodies are only delimited (Content-Length, or chunked with every CRLF
// checked) so that the caller forwards their bytes as they came, and each call to feed() consumes input or ends
// in a refusal: no state waits on itself. docs/proxy.md lists every rule with its answer.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sslbind::serve {

struct HttpHeader {
  std::string name;
  std::string value;  // without the whitespace around it
};

struct HttpHead {
  std::string method;  // requests
  std::string target;  // requests: the request-target as sent
  int status = 0;      // responses
  std::string reason;  // responses
  unsigned major = 1;
  unsigned minor = 1;  // a 1.x minor version above 1 reads as 1
  std::vector<HttpHeader> headers;
  bool keep_alive = false;  // the connection may carry another message after this one
  bool upgrade = false;     // requests: a WebSocket handshake (RFC 6455, 4.1); responses: a 101
  bool chunked = false;
  std::optional<std::uint64_t> content_length;
  // Requests, once accepted: the authority routed on and sent as Host (the absolute-form target's, else Host's),
  // the target to send in origin form (or "*"), and the lower-case options of Connection.
  std::string authority;
  std::string path;
  std::vector<std::string> connection;

  // The first header of this name (any case), if any.
  const std::string* find(std::string_view name) const;
  std::size_t count(std::string_view name) const;
};

// Documented in docs/proxy.md: a request-target longer than max_target is refused with 414, a head longer than
// max_head or with more than max_headers fields with 431, before anything reaches a web worker.
struct HttpLimits {
  std::size_t max_target = 8 * 1024;
  std::size_t max_head = 32 * 1024;
  std::size_t max_headers = 100;
};

class HttpParser {
 public:
  enum class Kind { Request, Response };

  explicit HttpParser(Kind kind, HttpLimits limits = {});

  // What one call to feed() found. `consumed` bytes of the input belong to the current message (its head, then its
  // body); parsing stops after the head (`head`), at the end of the message (`end`), or when the input runs out.
  // A message without a body ends on the call after its head, which may pass no byte.
  struct Step {
    std::size_t consumed = 0;
    bool head = false;
    bool end = false;
    int error_status = 0;  // 400, 405, 414, 431, 501, 505: the message is refused and the connection must close
    std::string error;     // why, for the log
  };
  Step feed(const char* data, std::size_t size);

  const HttpHead& head() const { return head_; }
  // The head, moved out: the body that follows is read without it.
  HttpHead take_head() { return std::move(head_); }
  // Responses: what the request asked for. A response to HEAD has no body, whatever its fields say; a 101 is
  // accepted only as the answer to a WebSocket handshake. Both hold for the next response only.
  void expect_no_body() { no_body_ = true; }
  void expect_upgrade() { upgrade_asked_ = true; }
  // The message's body ends when the connection closes (a response with neither length nor chunks): nothing can
  // follow it on that connection, and its end cannot be told from a cut.
  bool until_close() const { return state_ == State::UntilClose; }

 private:
  enum class State {
    Head,
    EndPending,
    Length,
    UntilClose,
    ChunkSize,
    ChunkExt,
    ChunkLf,
    Data,
    DataCr,
    DataLf,
    Trailer,
    TrailerLf,
    Failed
  };
  Step fail(Step step, int status, std::string why);
  Step feed_head(const char* data, std::size_t size);
  Step feed_chunked(const char* data, std::size_t size);
  // The whole head, from its first byte to its empty line: parsed, checked, and the body's framing set.
  Step accept_head(std::string_view text, Step step);
  void begin_message();

  Kind kind_;
  HttpLimits limits_;
  State state_ = State::Head;
  HttpHead head_;
  std::string buffer_;  // a head, or a trailer line, that came in pieces
  std::size_t line_length_ = 0;
  std::size_t lines_ = 0;
  bool last_cr_ = false;
  bool no_body_ = false;
  bool upgrade_asked_ = false;
  std::uint64_t remaining_ = 0;  // of the body, or of the chunk
  std::size_t chunk_digits_ = 0;
  bool chunk_extension_ = false;
  std::size_t trailer_bytes_ = 0;
  int error_status_ = 0;
  std::string error_;
};

}  // namespace sslbind::serve
