#include "serve/http_parser.hpp"

#include "core/text.hpp"

namespace sslbind::serve {

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

// llhttp's callbacks, each a static function that finds its HttpParser in the parser's data pointer.
struct HttpCallbacks {
  static HttpParser& of(llhttp_t* p) { return *static_cast<HttpParser*>(p->data); }

  static int grow(HttpParser& self, std::size_t n) {
    self.head_bytes_ += n;
    if (self.head_bytes_ > self.limits_.max_head) return self.refuse(431, "the head is longer than 32 KiB");
    return 0;
  }

  static void finish_field(HttpParser& self) {
    if (!self.in_value_) return;
    self.head_.headers.push_back({std::move(self.field_), std::move(self.value_)});
    self.field_.clear();
    self.value_.clear();
    self.in_value_ = false;
  }

  static int message_begin(llhttp_t* p) {
    HttpParser& self = of(p);
    self.head_ = HttpHead{};
    self.field_.clear();
    self.value_.clear();
    self.head_bytes_ = 0;
    self.in_value_ = false;
    self.head_done_ = false;
    self.ended_ = false;
    return 0;
  }

  static int url(llhttp_t* p, const char* at, std::size_t n) {
    HttpParser& self = of(p);
    self.head_.target.append(at, n);
    if (self.head_.target.size() > self.limits_.max_target) {
      return self.refuse(400, "the request-target is longer than 8 KiB");
    }
    return grow(self, n);
  }

  static int status(llhttp_t* p, const char* at, std::size_t n) {
    of(p).head_.reason.append(at, n);
    return grow(of(p), n);
  }

  static int header_field(llhttp_t* p, const char* at, std::size_t n) {
    HttpParser& self = of(p);
    finish_field(self);
    self.field_.append(at, n);
    return grow(self, n);
  }

  static int header_value(llhttp_t* p, const char* at, std::size_t n) {
    HttpParser& self = of(p);
    self.in_value_ = true;
    self.value_.append(at, n);
    return grow(self, n);
  }

  static int header_value_complete(llhttp_t* p) {
    HttpParser& self = of(p);
    self.in_value_ = true;  // an empty value has no header_value call
    finish_field(self);
    if (self.head_.headers.size() > self.limits_.max_headers) {
      return self.refuse(431, "the head has more than 100 header fields");
    }
    return 0;
  }

  static int headers_complete(llhttp_t* p) {
    HttpParser& self = of(p);
    HttpHead& h = self.head_;
    h.major = llhttp_get_http_major(p);
    h.minor = llhttp_get_http_minor(p);
    h.keep_alive = llhttp_should_keep_alive(p) != 0;
    h.upgrade = llhttp_get_upgrade(p) != 0;
    h.chunked = (p->flags & F_CHUNKED) != 0;
    if ((p->flags & F_CONTENT_LENGTH) != 0) h.content_length = p->content_length;
    if (self.kind_ == HttpParser::Kind::Request) {
      h.method = llhttp_method_name(static_cast<llhttp_method_t>(llhttp_get_method(p)));
      // RFC 9112, 3.2: a server responds 400 to an HTTP/1.1 request without exactly one Host, and to any with two.
      const std::size_t hosts = h.count("host");
      if (hosts > 1 || (hosts == 0 && h.minor >= 1)) {
        return self.refuse(400, hosts > 1 ? "two Host header fields" : "an HTTP/1.1 request without Host");
      }
      // A request body is framed by Content-Length or by a Transfer-Encoding that ends in chunked, never both
      // (RFC 9112, 6.1 and 6.3). llhttp finds these only after the head; a proxy must refuse before routing.
      if (h.find("transfer-encoding") != nullptr) {
        if (h.content_length) return self.refuse(400, "both Content-Length and Transfer-Encoding");
        if (!h.chunked) return self.refuse(400, "a Transfer-Encoding that does not end in chunked");
      }
    } else {
      h.status = llhttp_get_status_code(p);
    }
    self.head_done_ = true;
    if (self.no_body_) return 1;
    return HPE_PAUSED;
  }

  static int message_complete(llhttp_t* p) {
    HttpParser& self = of(p);
    self.ended_ = true;
    self.head_.keep_alive = llhttp_should_keep_alive(p) != 0;
    return HPE_PAUSED;
  }

  static const llhttp_settings_t& settings() {
    static const llhttp_settings_t s = [] {
      llhttp_settings_t x;
      llhttp_settings_init(&x);
      x.on_message_begin = message_begin;
      x.on_url = url;
      x.on_status = status;
      x.on_header_field = header_field;
      x.on_header_value = header_value;
      x.on_header_value_complete = header_value_complete;
      x.on_headers_complete = headers_complete;
      x.on_message_complete = message_complete;
      return x;
    }();
    return s;
  }
};

HttpParser::HttpParser(Kind kind, HttpLimits limits) : limits_(limits), kind_(kind) {
  llhttp_init(&parser_, kind == Kind::Request ? HTTP_REQUEST : HTTP_RESPONSE, &HttpCallbacks::settings());
  parser_.data = this;
}

int HttpParser::refuse(int status, std::string why) {
  error_status_ = status;
  error_ = std::move(why);
  return HPE_USER;
}

HttpParser::Step HttpParser::feed(const char* data, std::size_t size) {
  Step step;
  if (error_status_ != 0) {
    step.error_status = error_status_;
    step.error = error_;
    return step;
  }
  const bool head_before = head_done_;
  const llhttp_errno_t err = llhttp_execute(&parser_, data, size);
  switch (err) {
    case HPE_OK: step.consumed = size; break;
    case HPE_PAUSED:
      step.consumed = static_cast<std::size_t>(llhttp_get_error_pos(&parser_) - data);
      llhttp_resume(&parser_);
      break;
    case HPE_PAUSED_UPGRADE:
      step.consumed = static_cast<std::size_t>(llhttp_get_error_pos(&parser_) - data);
      step.upgraded = true;
      break;
    default:
      if (error_status_ == 0) {
        error_status_ = 400;
        error_ =
            llhttp_get_error_reason(&parser_) != nullptr ? llhttp_get_error_reason(&parser_) : llhttp_errno_name(err);
      }
      step.error_status = error_status_;
      step.error = error_;
      return step;
  }
  step.head = head_done_ && !head_before;
  // llhttp accepts obsolete line folding (RFC 9112, 5.2), which a proxy must refuse: a line of the head that starts
  // with a space or a tab. The bytes consumed before the head is done are the head's.
  if (!head_before) {
    for (std::size_t i = 0; i < step.consumed; ++i) {
      const char c = data[i];
      if (after_line_feed_ && (c == ' ' || c == '\t')) {
        error_status_ = step.error_status = 400;
        error_ = step.error = "a header field folded onto a second line (obs-fold)";
        return step;
      }
      after_line_feed_ = c == '\n';
    }
  }
  step.end = ended_;
  if (ended_) {
    ended_ = false;
    head_done_ = false;
    no_body_ = false;
  }
  if (step.head || step.end) after_line_feed_ = false;
  return step;
}

}  // namespace sslbind::serve
