#pragma once
// A client of etcd's v3 API through its JSON gateway (POST /v3/kv/txn, the watch, authentication): plain HTTP/1.1 and
// JSON, which Debian's etcd 3.4 serves on its client port. The gateway rather than gRPC for these: no code generator or
// gRPC stack to build with, one request per call, and the same API (APISIX moved back to it for those reasons). The
// one exception is listing a farm, whose answer is the whole registry: that goes through gRPC, with its two messages
// written by hand (store/etcd_kv_messages.hpp). Every call has a deadline; an endpoint that does not answer is left for
// the next one, and when none answers the error is RegistryUnavailable (transient: nothing was changed), never
// RegistryUnreadable. Blocking: for the command line and loader-like threads, never an I/O thread.
#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/store_location.hpp"
#include "store/etcd_connection.hpp"
#include "store/etcd_kv_messages.hpp"

namespace sslbind::store {

struct EtcdRange {
  std::vector<EtcdKeyValue> kvs;
  std::int64_t revision = 0;  // the store's revision the range was read at
  std::string cluster_id;     // the etcd cluster that answered
};

class EtcdClient {
 public:
  // `security`: TLS (etcds://) and etcd's user and password; a CA or certificate file OpenSSL cannot read makes every
  // call fail with that error.
  EtcdClient(std::vector<EtcdEndpoint> endpoints, std::chrono::milliseconds deadline, EtcdSecurity security = {});

  // Every key under `prefix`, read at one revision, in pages, through etcd's gRPC API: the gateway's JSON makes a
  // listing of 100k bindings take 1.3 s in etcd alone, gRPC 0.2 s (docs/performance.md).
  Result<EtcdRange> range_prefix(const std::string& prefix);
  // A transaction: `compare` and `success` as the v3 API writes them, keys and values already in base64. Whether
  // the compares held; the store's revision after it in `revision`.
  Result<bool> txn(const nlohmann::json& compare, const nlohmann::json& success, std::int64_t& revision);
  // One call of the gateway: the JSON answer of 200, else the error etcd gave.
  Result<nlohmann::json> call(const std::string& path, const nlohmann::json& body);
  // A streaming call (the watch): the connection after the request was sent and a 200 answer's head read; the body
  // bytes that came with the head are in `pending`.
  Result<std::unique_ptr<EtcdConnection>> open_stream(const std::string& path, const nlohmann::json& body,
                                                      std::string& pending);

  static std::string b64(const std::string& bytes);
  static Result<std::string> unb64(const std::string& text);

 private:
  using Clock = std::chrono::steady_clock;
  std::string request_text(const EtcdEndpoint& endpoint, const std::string& path, const std::string& body,
                           bool close) const;
  Result<std::string> post(const EtcdEndpoint& endpoint, const std::string& path, const std::string& body,
                           Clock::time_point until);
  // post() with a token when etcd asks for users: made at the first call, made again when etcd drops it.
  Result<std::string> exchange(const EtcdEndpoint& endpoint, const std::string& path, const std::string& body,
                               Clock::time_point until);
  Status authenticate(const EtcdEndpoint& endpoint, Clock::time_point until);
  Result<EtcdRange> range_on(const EtcdEndpoint& endpoint, const std::string& prefix);

  std::vector<EtcdEndpoint> endpoints_;
  std::chrono::milliseconds deadline_;
  EtcdSecurity security_;
  std::shared_ptr<EtcdTls> tls_;
  std::optional<Error> setup_error_;
  std::string token_;
  std::size_t next_ = 0;  // the endpoint that answered last is asked first
};

}  // namespace sslbind::store
