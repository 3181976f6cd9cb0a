#pragma once
// One connection to an etcd endpoint, plain or TLS, blocking with a deadline: for the commands and the front end's
// follower threads, never an I/O thread. TLS verifies etcd's certificate against the given CA file (or the system's)
// and its name or address, and presents a client certificate when one is given (etcd's --client-cert-auth).
#include <openssl/ssl.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/store_location.hpp"

namespace sslbind::store {

struct EtcdSecurity {
  bool tls = false;       // etcds://
  std::string ca_file;    // empty: the system's trusted CAs
  std::string cert_file;  // a client certificate (PEM), with its key in key_file
  std::string key_file;
  std::string user, password;  // etcd's authentication; empty user: none
};

class EtcdTls {
 public:
  // The context for every connection; InvalidParameter naming the file OpenSSL could not read.
  static Result<std::shared_ptr<EtcdTls>> make(const EtcdSecurity& security);
  ~EtcdTls();
  SSL_CTX* context() const { return ctx_; }

 private:
  SSL_CTX* ctx_ = nullptr;
};

class EtcdConnection {
 public:
  using Clock = std::chrono::steady_clock;
  // Connects (and, with `tls`, shakes hands and verifies `endpoint`'s certificate) before `until`. `http2`: TLS
  // offers only h2 by ALPN (etcd's gRPC), and a server that does not agree to it is refused.
  static Result<std::unique_ptr<EtcdConnection>> open(const EtcdEndpoint& endpoint, const EtcdTls* tls,
                                                      Clock::time_point until, bool http2 = false);
  ~EtcdConnection();
  EtcdConnection(const EtcdConnection&) = delete;
  EtcdConnection& operator=(const EtcdConnection&) = delete;

  bool send_all(std::string_view data, Clock::time_point until);
  // Some bytes (> 0), 0 at the end of the stream, -1 on an error or when `until` passed.
  long receive(char* buffer, std::size_t size, Clock::time_point until);
  // Whether receive() would return without waiting for the socket (TLS may hold a decrypted record).
  bool buffered() const;
  int fd() const { return fd_; }

 private:
  EtcdConnection(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
  int fd_ = -1;
  SSL* ssl_ = nullptr;
};

}  // namespace sslbind::store
