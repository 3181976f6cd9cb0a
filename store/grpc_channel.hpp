#pragma once
// A gRPC client for unary calls over one HTTP/2 connection to an etcd endpoint (plain, or TLS with ALPN h2), on
// libnghttp2's client session: blocking with a deadline, for the front end's follower thread and the commands, never
// an I/O thread. Calls run one after another on the same connection. Messages are bytes: the caller writes and reads
// them (store/protobuf_wire.hpp). No compression is asked for, so none is accepted.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/etcd_connection.hpp"

struct nghttp2_session;

namespace sslbind::store {

struct GrpcStatus {
  int code = 0;  // gRPC's status code: 0 OK, 14 UNAVAILABLE, 16 UNAUTHENTICATED, ...
  std::string message;
};

class GrpcChannel {
 public:
  using Clock = std::chrono::steady_clock;
  static Result<std::unique_ptr<GrpcChannel>> open(const EtcdEndpoint& endpoint, const EtcdTls* tls,
                                                   Clock::time_point until);
  ~GrpcChannel();
  GrpcChannel(const GrpcChannel&) = delete;
  GrpcChannel& operator=(const GrpcChannel&) = delete;

  // Calls `method` ("/etcdserverpb.KV/Range") with one request message; `token`, when not empty, goes as etcd's
  // "token" metadata. The answer's one message, or: RegistryUnavailable when the connection or the deadline fails;
  // RegistryUnreadable when the answer is not gRPC or is over `max_answer` bytes. A status other than OK is returned
  // in `status` with an empty message.
  Result<std::string> call(std::string_view method, const std::string& request, const std::string& token,
                           std::size_t max_answer, Clock::time_point until, GrpcStatus& status);

  struct Exchange;  // one call's state, seen by nghttp2's callbacks

 private:
  GrpcChannel(std::unique_ptr<EtcdConnection> connection, std::string authority, bool tls);
  Status pump(Exchange& exchange, Clock::time_point until);

  std::unique_ptr<EtcdConnection> connection_;
  std::string authority_;
  bool tls_ = false;
  bool broken_ = false;
  nghttp2_session* session_ = nullptr;
};

}  // namespace sslbind::store
