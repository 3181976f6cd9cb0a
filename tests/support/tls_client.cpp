#include "tests/support/tls_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>

namespace sslbind::test {

void SessionFree::operator()(SSL_SESSION* s) const { SSL_SESSION_free(s); }

int tcp_connect(const std::string& address, std::uint16_t port) {
  sockaddr_storage storage{};
  socklen_t size = 0;
  int family = AF_INET;
  if (address.find(':') != std::string::npos) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(port);
    if (inet_pton(AF_INET6, address.c_str(), &a->sin6_addr) != 1) return -1;
    size = sizeof *a;
    family = AF_INET6;
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&storage);
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    if (inet_pton(AF_INET, address.c_str(), &a->sin_addr) != 1) return -1;
    size = sizeof *a;
  }
  const int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&storage), size) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::uint16_t free_port() {
  // Below the kernel's ephemeral range (32768 and up): a port the kernel hands out later to a socket bound to port 0
  // (a test's web worker, a client) is never one a test has set aside for serve or etcd. Tests run side by side
  // (ctest -j), and a port is set aside here before its server binds it, so a free bind alone would let two of them
  // take the same one: each port is also locked, in a file every test process shares, until the process that took it
  // exits (the kernel drops an flock with its holder, so a crashed test leaves nothing held).
  static const std::filesystem::path locks = std::filesystem::temp_directory_path() / "sslbind-test-ports";
  static std::mt19937 random{std::random_device{}()};
  static std::mutex picking;
  const std::lock_guard hold(picking);
  std::error_code ec;
  std::filesystem::create_directories(locks, ec);
  for (int tries = 0; tries < 2000; ++tries) {
    const auto port = static_cast<std::uint16_t>(20000 + random() % 12700);
    const int lock = ::open((locks / std::to_string(port)).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (lock < 0) continue;
    if (::flock(lock, LOCK_EX | LOCK_NB) != 0) {  // another test process holds it
      ::close(lock);
      continue;
    }
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    if (free) return port;  // the lock stays open for the rest of the process
    ::close(lock);
  }
  return 0;
}

namespace {

std::string thumbprint_of(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return "";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert, EVP_sha1(), md, &n);
  X509_free(cert);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xF];
  }
  return out;
}

std::string openssl_error() {
  char buf[256];
  const unsigned long e = ERR_get_error();
  if (e == 0) return "connection closed";
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

SSL_CTX* client_context(int max_version, const TlsOffer& offer) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);  // tests compare thumbprints instead
  // No client cache: freeing a context flushes its cache, and a flushed session is marked not resumable.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (max_version != 0) SSL_CTX_set_max_proto_version(ctx, max_version);
  if (offer.min_version != 0) {
    SSL_CTX_set_security_level(ctx, 0);  // TLS 1.0 and 1.1 sign with SHA-1
    SSL_CTX_set_min_proto_version(ctx, offer.min_version);
  }
  if (!offer.ciphers.empty()) {
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_cipher_list(ctx, offer.ciphers.c_str());
  }
  return ctx;
}

}  // namespace

TlsResult tls_connect(const std::string& address, std::uint16_t port, const TlsOptions& options,
                      const std::vector<std::string>& alpn, const TlsOffer& offer) {
  TlsResult r;
  const int fd = tcp_connect(address, port);
  if (fd < 0) {
    r.error = "cannot connect";
    return r;
  }
  SSL_CTX* ctx = client_context(options.max_version, offer);
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  if (options.sni) SSL_set_tlsext_host_name(ssl, options.sni->c_str());
  if (options.resume != nullptr) SSL_set_session(ssl, options.resume);
  if (offer.request_status) SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp);
  if (!alpn.empty()) {
    std::string wire;
    for (const std::string& p : alpn) wire += static_cast<char>(p.size()) + p;
    SSL_set_alpn_protos(ssl, reinterpret_cast<const unsigned char*>(wire.data()), static_cast<unsigned>(wire.size()));
  }
  if (SSL_connect(ssl) == 1) {
    r.handshake = true;
    r.thumbprint = thumbprint_of(ssl);
    r.version = SSL_get_version(ssl);
    r.cipher = SSL_get_cipher_name(ssl);
    const unsigned char* stapled = nullptr;
    const long stapled_size = SSL_get_tlsext_status_ocsp_resp(ssl, &stapled);
    if (stapled != nullptr && stapled_size > 0)
      r.ocsp.assign(reinterpret_cast<const char*>(stapled), static_cast<std::size_t>(stapled_size));
    r.resumed = SSL_session_reused(ssl) == 1;
    const unsigned char* chosen = nullptr;
    unsigned int chosen_size = 0;
    SSL_get0_alpn_selected(ssl, &chosen, &chosen_size);
    if (chosen != nullptr) r.alpn.assign(reinterpret_cast<const char*>(chosen), chosen_size);
    if (!options.request.empty()) {
      SSL_write(ssl, options.request.data(), static_cast<int>(options.request.size()));
      char buf[4096];
      int n = 0;
      while ((n = SSL_read(ssl, buf, sizeof buf)) > 0) r.answer.append(buf, static_cast<std::size_t>(n));
    }
    r.session.reset(SSL_get1_session(ssl));
    SSL_shutdown(ssl);  // SSL_free without it would mark the session not resumable
  } else {
    r.error = openssl_error();
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ::close(fd);
  ERR_clear_error();
  return r;
}

TlsConnection::TlsConnection(const std::string& address, std::uint16_t port, std::optional<std::string> sni) {
  fd_ = tcp_connect(address, port);
  if (fd_ < 0) return;
  ctx_ = client_context(0, TlsOffer{});
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  if (sni) SSL_set_tlsext_host_name(ssl_, sni->c_str());
  if (SSL_connect(ssl_) != 1) {
    SSL_free(ssl_);
    ssl_ = nullptr;
    ERR_clear_error();
  }
}

TlsConnection::~TlsConnection() {
  SSL_free(ssl_);
  SSL_CTX_free(ctx_);
  if (fd_ >= 0) ::close(fd_);
}

std::string TlsConnection::thumbprint() const { return ssl_ ? thumbprint_of(ssl_) : ""; }

bool TlsConnection::send(const std::string& bytes) {
  return ssl_ != nullptr &&
         SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) == static_cast<int>(bytes.size());
}

std::string TlsConnection::receive(std::size_t at_least) {
  std::string out;
  char buf[4096];
  while (ssl_ != nullptr && out.size() < at_least) {
    const int n = SSL_read(ssl_, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::string TlsConnection::get(const std::string& host, const std::string& path) {
  if (ssl_ == nullptr) return "";
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
  if (SSL_write(ssl_, request.data(), static_cast<int>(request.size())) <= 0) return "";
  std::string answer;
  char buf[4096];
  // Reads the head, then Content-Length bytes of body.
  while (true) {
    const std::size_t head_end = answer.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      const std::size_t at = answer.find("Content-Length: ");
      const std::size_t length = at == std::string::npos ? 0 : std::stoul(answer.substr(at + 16));
      if (answer.size() >= head_end + 4 + length) return answer;
    }
    const int n = SSL_read(ssl_, buf, sizeof buf);
    if (n <= 0) return "";
    answer.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace sslbind::test
