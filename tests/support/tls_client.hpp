#pragma once
// A real TLS client (OpenSSL's libssl) for end-to-end tests of `sslbind serve` on loopback: the certificate the
// server sent, whether the session resumed, and the answer to an HTTP request.
#include <openssl/ssl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sslbind::test {

struct SessionFree {
  void operator()(SSL_SESSION* s) const;
};
using Session = std::unique_ptr<SSL_SESSION, SessionFree>;

struct TlsOptions {
  std::optional<std::string> sni;
  SSL_SESSION* resume = nullptr;  // offer this session
  int max_version = 0;            // e.g. TLS1_2_VERSION; 0: the library's highest
  std::string request;            // written after the handshake; the answer is read until the server closes
};

// What a client offers beyond its library's defaults, for tests of the server's TLS policy.
struct TlsOffer {
  int min_version = 0;          // e.g. TLS1_VERSION; 0: the library's lowest at its security level
  std::string ciphers;          // TLS 1.2 and below, at security level 0 so that old ones can be offered
  bool request_status = false;  // status_request: ask for a stapled OCSP response
};

struct TlsResult {
  bool handshake = false;
  std::string thumbprint;  // lower-case SHA-1 of the server's certificate
  std::string version;     // "TLSv1.3"
  std::string cipher;      // OpenSSL's name of the negotiated cipher
  std::string ocsp;        // the stapled OCSP response (DER), when the client asked and the server sent one
  std::string alpn;        // the protocol the server chose; empty when it chose none
  bool resumed = false;
  std::string answer;
  Session session;  // to resume later (read after the answer, so that TLS 1.3 tickets have arrived)
  std::string error;
};

// Connects to address:port (IPv4 or IPv6 literal), shakes hands, optionally sends `request` and reads the answer.
// Never waits more than 10 s. `alpn`: the protocols offered by ALPN, in order; none: no ALPN extension.
TlsResult tls_connect(const std::string& address, std::uint16_t port, const TlsOptions& options = {},
                      const std::vector<std::string>& alpn = {}, const TlsOffer& offer = {});

// A connection kept open, for tests of changes while a connection lives.
class TlsConnection {
 public:
  TlsConnection(const std::string& address, std::uint16_t port, std::optional<std::string> sni);
  ~TlsConnection();
  TlsConnection(const TlsConnection&) = delete;
  TlsConnection& operator=(const TlsConnection&) = delete;
  bool ok() const { return ssl_ != nullptr; }
  std::string thumbprint() const;
  // Sends one keep-alive HTTP request and returns the whole answer (head and body), or "" on failure.
  std::string get(const std::string& host, const std::string& path = "/");
  bool send(const std::string& bytes);
  // Reads until `at_least` bytes came (or the peer closed, or 10 s passed).
  std::string receive(std::size_t at_least);

 private:
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

// A loopback TCP port that nothing listens on right now and no other test process has taken.
std::uint16_t free_port();
// A plain TCP connection (-1 on failure), for tests that send bytes that are not TLS.
int tcp_connect(const std::string& address, std::uint16_t port);

}  // namespace sslbind::test
