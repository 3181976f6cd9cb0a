#pragma once
// HTTP/1.1 messages as the front end reads them: requests from clients, responses from web workers. llhttp parses
// them strictly (no lenient flags) and sslbind adds the checks and limits a proxy needs against request smuggling:
// the head is kept, the body is only delimited, so that the caller forwards its bytes as they came.
#include <llhttp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sslbind::serve {

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpHead {
  std::string method;  // requests
  std::string target;  // requests: the request-target as sent
  int status = 0;      // responses
  std::string reason;  // responses
  unsigned major = 1;
  unsigned minor = 1;
  std::vector<HttpHeader> headers;
  bool keep_alive = false;  // the connection may carry another message after this one
  bool upgrade = false;     // Connection: upgrade with Upgrade (requests), or a 101 (responses)
  bool chunked = false;
  std::optional<std::uint64_t> content_length;

  // The first header of this name (any case), if any.
  const std::string* find(std::string_view name) const;
  std::size_t count(std::string_view name) const;
};

// Documented in docs/proxy.md: a request-target longer than max_target, or a head longer than max_head or with more
// than max_headers fields, is refused (400 and 431) before anything reaches a web worker.
struct HttpLimits {
  std::size_t max_target = 8 * 1024;
  std::size_t max_head = 32 * 1024;
  std::size_t max_headers = 100;
};

class HttpParser {
 public:
  enum class Kind { Request, Response };

  explicit HttpParser(Kind kind, HttpLimits limits = {});
  HttpParser(const HttpParser&) = delete;
  HttpParser& operator=(const HttpParser&) = delete;

  // What one call to feed() found. `consumed` bytes of the input belong to the current message (its head, then its
  // body); parsing stops after the head (`head`), at the end of the message (`end`), or when the input runs out.
  struct Step {
    std::size_t consumed = 0;
    bool head = false;
    bool end = false;
    bool upgraded = false;  // the message ended in a protocol switch: what follows is not HTTP
    int error_status = 0;   // 400 or 431: the message is refused and the connection must close
    std::string error;      // why, for the log
  };
  Step feed(const char* data, std::size_t size);

  const HttpHead& head() const { return head_; }
  // A response to HEAD has no body, whatever its headers say.
  void expect_no_body() { no_body_ = true; }

 private:
  friend struct HttpCallbacks;
  int refuse(int status, std::string why);

  llhttp_t parser_{};
  HttpLimits limits_;
  Kind kind_;
  HttpHead head_;
  std::string field_;
  std::string value_;
  std::size_t head_bytes_ = 0;
  bool in_value_ = false;
  bool head_done_ = false;
  bool ended_ = false;
  bool no_body_ = false;
  bool after_line_feed_ = false;  // the last byte of the head seen so far was a line feed
  int error_status_ = 0;
  std::string error_;
};

}  // namespace sslbind::serve
