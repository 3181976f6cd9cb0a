#include "store/etcd_connection.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/openssl_handles.hpp"

namespace sslbind::store {
namespace {

using Clock = EtcdConnection::Clock;

int remaining_ms(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

bool wait_for(int fd, short events, Clock::time_point until) {
  pollfd p{fd, events, 0};
  while (true) {
    const int r = ::poll(&p, 1, remaining_ms(until));
    if (r > 0) return true;
    if (r == 0 || errno != EINTR) return false;
  }
}

int connect_to(const EtcdEndpoint& endpoint, Clock::time_point until) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(endpoint.host.c_str(), std::to_string(endpoint.port).c_str(), &hints, &found) != 0) return -1;
  int connected = -1;
  for (addrinfo* a = found; a != nullptr && connected < 0; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0 || (errno == EINPROGRESS && wait_for(fd, POLLOUT, until))) {
      int error = 0;
      socklen_t size = sizeof error;
      if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0 && error == 0) {
        connected = fd;
        continue;
      }
    }
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return connected;
}

// Waits as an unfinished TLS call asks; false on a real error or past `until`.
bool tls_wait(SSL* ssl, int fd, int result, Clock::time_point until) {
  switch (SSL_get_error(ssl, result)) {
    case SSL_ERROR_WANT_READ: return wait_for(fd, POLLIN, until);
    case SSL_ERROR_WANT_WRITE: return wait_for(fd, POLLOUT, until);
    default: ERR_clear_error(); return false;
  }
}

bool is_address(const std::string& host) {
  unsigned char buffer[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, host.c_str(), buffer) == 1 || ::inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

}  // namespace

Result<std::shared_ptr<EtcdTls>> EtcdTls::make(const EtcdSecurity& security) {
  auto tls = std::shared_ptr<EtcdTls>(new EtcdTls());
  tls->ctx_ = SSL_CTX_new(TLS_client_method());
  if (tls->ctx_ == nullptr) return Error(ErrorCode::RegistryUnavailable, "no TLS context: " + openssl_reason());
  SSL_CTX_set_min_proto_version(tls->ctx_, TLS1_2_VERSION);
  SSL_CTX_set_verify(tls->ctx_, SSL_VERIFY_PEER, nullptr);
  const bool trusted = security.ca_file.empty()
                           ? SSL_CTX_set_default_verify_paths(tls->ctx_) == 1
                           : SSL_CTX_load_verify_locations(tls->ctx_, security.ca_file.c_str(), nullptr) == 1;
  if (!trusted) {
    return invalid("SSLBIND_ETCD_CACERT " + security.ca_file + ": OpenSSL cannot read it (" + openssl_reason() + ")");
  }
  if (!security.cert_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(tls->ctx_, security.cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(tls->ctx_,
                                    security.key_file.empty() ? security.cert_file.c_str() : security.key_file.c_str(),
                                    SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(tls->ctx_) != 1) {
      return invalid("SSLBIND_ETCD_CERT " + security.cert_file + " and SSLBIND_ETCD_KEY " + security.key_file +
                     ": not a certificate and its key OpenSSL reads (" + openssl_reason() + ")");
    }
  }
  return tls;
}

EtcdTls::~EtcdTls() { SSL_CTX_free(ctx_); }

Result<std::unique_ptr<EtcdConnection>> EtcdConnection::open(const EtcdEndpoint& endpoint, const EtcdTls* tls,
                                                             Clock::time_point until, bool http2) {
  const int fd = connect_to(endpoint, until);
  if (fd < 0) return Error(ErrorCode::RegistryUnavailable, "no connection");
  if (tls == nullptr) return std::unique_ptr<EtcdConnection>(new EtcdConnection(fd, nullptr));
  SSL* ssl = SSL_new(tls->context());
  std::unique_ptr<EtcdConnection> c(new EtcdConnection(fd, ssl));
  if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1) {
    ERR_clear_error();
    return Error(ErrorCode::RegistryUnavailable, "no TLS connection");
  }
  // The certificate must name the endpoint as the client was given it: a name, or an IP address (etcd's usual).
  if (is_address(endpoint.host)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), endpoint.host.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl, endpoint.host.c_str());
    SSL_set1_host(ssl, endpoint.host.c_str());
  }
  static constexpr unsigned char kH2[] = {2, 'h', '2'};
  if (http2 && SSL_set_alpn_protos(ssl, kH2, sizeof kH2) != 0) {
    ERR_clear_error();
    return Error(ErrorCode::RegistryUnavailable, "no TLS connection");
  }
  while (true) {
    const int r = SSL_connect(ssl);
    if (r == 1) {
      const unsigned char* agreed = nullptr;
      unsigned agreed_size = 0;
      SSL_get0_alpn_selected(ssl, &agreed, &agreed_size);
      if (http2 && (agreed_size != 2 || std::memcmp(agreed, "h2", 2) != 0)) {
        return Error(ErrorCode::RegistryUnavailable, "it did not agree to HTTP/2 (gRPC) by ALPN");
      }
      return c;
    }
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
      ERR_clear_error();
      return Error(ErrorCode::RegistryUnavailable,
                   std::string("its certificate is not trusted: ") + X509_verify_cert_error_string(verify));
    }
    if (!tls_wait(ssl, fd, r, until)) return Error(ErrorCode::RegistryUnavailable, "the TLS handshake failed");
  }
}

EtcdConnection::~EtcdConnection() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  if (fd_ >= 0) ::close(fd_);
}

bool EtcdConnection::send_all(std::string_view data, Clock::time_point until) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    if (ssl_ != nullptr) {
      const int n = SSL_write(ssl_, data.data() + sent, static_cast<int>(data.size() - sent));
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
      } else if (!tls_wait(ssl_, fd_, n, until)) {
        return false;
      }
      continue;
    }
    const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!wait_for(fd_, POLLOUT, until)) return false;
    } else {
      return false;
    }
  }
  return true;
}

long EtcdConnection::receive(char* buffer, std::size_t size, Clock::time_point until) {
  while (true) {
    if (ssl_ != nullptr) {
      const int n = SSL_read(ssl_, buffer, static_cast<int>(size));
      if (n > 0) return n;
      if (SSL_get_error(ssl_, n) == SSL_ERROR_ZERO_RETURN) return 0;
      if (!tls_wait(ssl_, fd_, n, until)) return -1;
      continue;
    }
    const ssize_t n = ::recv(fd_, buffer, size, 0);
    if (n >= 0) return n;
    if ((errno != EAGAIN && errno != EINTR) || !wait_for(fd_, POLLIN, until)) return -1;
  }
}

bool EtcdConnection::buffered() const { return ssl_ != nullptr && SSL_pending(ssl_) > 0; }

}  // namespace sslbind::store
