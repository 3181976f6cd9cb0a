#pragma once
// The client's TLS connection: the socket and OpenSSL's SSL object, driven non-blocking. It is the only place in
// serve/ that drives OpenSSL's I/O (the handshake, reads, writes, shutdown, their errors and the error queue):
// the sessions above it read and write bytes, and wait for the stream when it says Again (h2o's socket layer and
// HAProxy's xprt_ops keep the same line).
#include <openssl/types.h>
#include <openssl/x509.h>

#include <asio/ip/tcp.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace sslbind::serve {

class TlsStream {
 public:
  enum class Status {
    Done,    // the call did what it could: bytes moved (n > 0), or the handshake ended
    Again,   // nothing now: wait for the socket (wants_write() says which way), then call again
    Paused,  // the handshake waits for a certificate a loader thread reads; the loader resumes it
    Closed,  // the peer closed or failed; the connection is over (or, for read, the client sends no more)
  };

  explicit TlsStream(asio::ip::tcp::socket socket);
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  // Makes the SSL object from the listener context, on the socket, as the server side. False on failure.
  bool open(SSL_CTX* context);
  SSL* ssl() const { return ssl_; }  // for the handshake's state and the facts (X-ARR-SSL); never for I/O
  asio::ip::tcp::socket& socket() { return socket_; }

  Status handshake();
  // Reads up to `size` bytes: Done with `n` > 0, Again, or Closed.
  Status read(char* data, std::size_t size, std::size_t& n);
  // Writes what it can of `pending` and erases it from there; `written` counts it. Done once `pending` is empty.
  Status write(std::string& pending, std::uint64_t* written = nullptr);
  // Writes what it can of data[0, size): Done with `n` > 0 bytes gone, Again, or Closed.
  Status write(const char* data, std::size_t size, std::size_t& n);
  // After Again: whether the stream waits to write (a TLS read may need to write, and the other way round).
  bool wants_write() const { return wants_write_; }
  // Whether a read can find bytes without the socket: OpenSSL holds some, read ahead or not yet returned. When it
  // does not, a session that waits for a next request waits for the socket at once (expect_read), rather than
  // through a read that would find nothing: one system call less per request.
  bool has_buffered() const;
  void expect_read() { wants_write_ = false; }
  // One try at close_notify (the socket is non-blocking), only after a handshake that ended.
  void shutdown();
  void close();

  bool established() const { return established_; }
  std::string_view version() const;
  std::string_view cipher() const;
  std::string_view alpn() const;  // the protocol ALPN chose; empty when none was
  bool resumed() const;
  // disablesessionid: the session just made is not kept for session-id resumption (in the context the stream was
  // opened with).
  void forget_session();
  // The client's certificate, if it sent one (or, on a resumed session, sent one then), and the certificates it sent
  // with it; both owned by the stream.
  X509* peer_certificate() const;
  STACK_OF(X509) * peer_chain() const;

 private:
  Status failed(int result);

  asio::ip::tcp::socket socket_;
  SSL* ssl_ = nullptr;
  bool established_ = false;
  bool wants_write_ = false;
};

// Empties this thread's OpenSSL error queue after work beside the stream (a client certificate's verification) that
// may leave errors in it: a read would take them for its own.
void forget_openssl_errors();

}  // namespace sslbind::serve
