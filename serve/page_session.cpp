#include "serve/page_session.hpp"

#include "core/text.hpp"
#include "serve/connection.hpp"
#include "serve/worker.hpp"

namespace sslbind::serve {
namespace {

constexpr std::size_t kMaxRequestHead = 16 * 1024;

std::string_view status_text(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    default: return "Request Header Fields Too Large";
  }
}

// The request head's verdict for the built-in page: whether the connection may stay open.
bool keeps_alive(std::string_view head) {
  const std::string lower = text::to_lower(head);
  const std::size_t line_end = lower.find("\r\n");
  const std::string_view request_line = std::string_view(lower).substr(0, line_end);
  const bool http10 = request_line.ends_with("http/1.0");
  if (lower.find("\r\nconnection: close") != std::string::npos) return false;
  // A body is not read by the built-in page: answer, then close, so that it is never taken for a request.
  if (lower.find("\r\ncontent-length:") != std::string::npos ||
      lower.find("\r\ntransfer-encoding:") != std::string::npos) {
    return false;
  }
  return !http10 || lower.find("\r\nconnection: keep-alive") != std::string::npos;
}

}  // namespace

PageSession::PageSession(Connection& connection)
    : c_(connection),
      binding_(connection.handshake().binding_name()),
      http2_disabled_(connection.handshake().winner &&
                      (connection.handshake().winner->settings.flags & ssl_flag::kDisableHttp2) != 0) {}

void PageSession::read_requests() {
  TlsStream& stream = c_.stream();
  while (!c_.closed()) {
    const std::size_t end = in_.find("\r\n\r\n");
    if (end != std::string::npos) {
      const bool keep_alive = keeps_alive(std::string_view(in_).substr(0, end + 2)) && !c_.worker().stopping();
      in_.erase(0, end + 4);
      // A refused client certificate gets IIS's 403.16 (403.13: revoked) on every request, here as in the proxy.
      if (c_.client_certificate_refused()) {
        c_.shared().stats.fail(refusal_of(*c_.client_certificate()));
        answer(false, 403);
      } else {
        answer(keep_alive, 200);
      }
      return write_pending();
    }
    if (in_.size() > kMaxRequestHead) {
      answer(false, 431);
      return write_pending();
    }
    char buffer[4096];
    std::size_t n = 0;
    switch (stream.read(buffer, sizeof buffer, n)) {
      case TlsStream::Status::Done:
        in_.append(buffer, n);
        c_.arm_timer(c_.shared().timeouts.idle, Failure::IdleTimeout);
        continue;
      case TlsStream::Status::Again: return c_.wait([this] { read_requests(); });
      default: return c_.close();
    }
  }
}

void PageSession::answer(bool keep_alive, int status) {
  served_ = true;
  c_.shared().stats.requests.fetch_add(1, std::memory_order_relaxed);
  const Handshake& h = c_.handshake();
  const TlsStream& stream = c_.stream();
  const std::string& binding = binding_;
  const std::string step = h.step ? std::string(step_name(*h.step)) : "";
  const std::string thumbprint = h.certificate ? h.certificate->thumbprint() : "";
  const bool http2_disabled = http2_disabled_;
  std::string body = "sslbind serve: no backend is configured, so this page answers every request.\n";
  body += "Binding:     " + binding + " (" + step + ")\n";
  body += "Certificate: " + thumbprint + " from " + h.source + "\n";
  body += "SNI:         " + (h.sni.empty() ? std::string("(none)") : h.sni) + "\n";
  body += "TLS:         " + std::string(stream.version()) + " " + std::string(stream.cipher()) + "\n";
  body += "ALPN:        " + (stream.alpn().empty() ? std::string("(none)") : std::string(stream.alpn())) + "\n";
  body += std::string("HTTP/2:      ") +
          (http2_disabled ? "disabled by the binding (disablehttp2)" : "allowed by the binding") + "\n";
  body += "Client:      " + c_.client().str() + "\n";
  if (const auto& certificate = c_.client_certificate()) body += "Client cert: " + certificate->subject + "\n";
  if (status != 200) body = std::to_string(status) + " " + std::string(status_text(status)) + "\n";
  close_after_write_ = close_after_write_ || !keep_alive;
  pending_ += "HTTP/1.1 " + std::to_string(status) + " " + std::string(status_text(status)) +
              "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
              "\r\nX-Sslbind-Binding: " + binding + "\r\nX-Sslbind-Certificate: " + thumbprint +
              "\r\nConnection: " + (keep_alive ? "keep-alive" : "close") + "\r\n\r\n" + body;
}

void PageSession::write_pending() {
  switch (c_.stream().write(pending_)) {
    case TlsStream::Status::Done: break;
    case TlsStream::Status::Again: return c_.wait([this] { write_pending(); });
    default: return c_.close();
  }
  if (close_after_write_) return c_.close();
  std::string().swap(pending_);  // an idle keep-alive connection keeps no buffer
  if (in_.empty()) std::string().swap(in_);
  if (in_.empty() && !c_.stream().has_buffered()) {
    c_.stream().expect_read();  // nothing of a next request yet: wait for it without a read that finds nothing
    return c_.wait([this] { read_requests(); });
  }
  read_requests();
}

}  // namespace sslbind::serve
