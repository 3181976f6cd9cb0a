#include "serve/tls_stream.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <climits>

namespace sslbind::serve {

TlsStream::TlsStream(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {}

TlsStream::~TlsStream() { SSL_free(ssl_); }

bool TlsStream::open(SSL_CTX* context) {
  ssl_ = SSL_new(context);
  if (ssl_ == nullptr || SSL_set_fd(ssl_, socket_.native_handle()) != 1) {
    ERR_clear_error();
    return false;
  }
  SSL_set_accept_state(ssl_);
  return true;
}

// What an unsuccessful call's result means; the error queue is emptied, so that the next connection on this thread
// does not read this one's errors.
TlsStream::Status TlsStream::failed(int result) {
  switch (SSL_get_error(ssl_, result)) {
    case SSL_ERROR_WANT_READ: wants_write_ = false; return Status::Again;
    case SSL_ERROR_WANT_WRITE: wants_write_ = true; return Status::Again;
    case SSL_ERROR_WANT_CLIENT_HELLO_CB: return Status::Paused;
    default: ERR_clear_error(); return Status::Closed;
  }
}

TlsStream::Status TlsStream::handshake() {
  ERR_clear_error();
  const int r = SSL_do_handshake(ssl_);
  if (r != 1) return failed(r);
  established_ = true;
  return Status::Done;
}

TlsStream::Status TlsStream::read(char* data, std::size_t size, std::size_t& n) {
  n = 0;
  const int r = SSL_read(ssl_, data, static_cast<int>(std::min<std::size_t>(size, INT_MAX)));
  if (r <= 0) return failed(r);
  n = static_cast<std::size_t>(r);
  return Status::Done;
}

TlsStream::Status TlsStream::write(const char* data, std::size_t size, std::size_t& n) {
  n = 0;
  const int r = SSL_write(ssl_, data, static_cast<int>(std::min<std::size_t>(size, INT_MAX)));
  if (r <= 0) return failed(r);
  n = static_cast<std::size_t>(r);
  return Status::Done;
}

TlsStream::Status TlsStream::write(std::string& pending, std::uint64_t* written) {
  while (!pending.empty()) {
    std::size_t n = 0;
    const Status s = write(pending.data(), pending.size(), n);
    if (s != Status::Done) return s;
    pending.erase(0, n);
    if (written != nullptr) *written += n;
  }
  return Status::Done;
}

void TlsStream::shutdown() {
  if (ssl_ == nullptr || !established_) return;
  SSL_shutdown(ssl_);
  ERR_clear_error();
}

X509* TlsStream::peer_certificate() const { return ssl_ == nullptr ? nullptr : SSL_get0_peer_certificate(ssl_); }

STACK_OF(X509) * TlsStream::peer_chain() const { return ssl_ == nullptr ? nullptr : SSL_get_peer_cert_chain(ssl_); }

void forget_openssl_errors() { ERR_clear_error(); }

void TlsStream::close() {
  asio::error_code ignored;
  socket_.close(ignored);
}

std::string_view TlsStream::version() const { return SSL_get_version(ssl_); }

std::string_view TlsStream::cipher() const { return SSL_get_cipher_name(ssl_); }

std::string_view TlsStream::alpn() const {
  const unsigned char* p = nullptr;
  unsigned int len = 0;
  SSL_get0_alpn_selected(ssl_, &p, &len);
  return p == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(p), len);
}

bool TlsStream::resumed() const { return SSL_session_reused(ssl_) == 1; }

bool TlsStream::has_buffered() const { return SSL_has_pending(ssl_) == 1; }

void TlsStream::forget_session() { SSL_CTX_remove_session(SSL_get_SSL_CTX(ssl_), SSL_get_session(ssl_)); }

}  // namespace sslbind::serve
