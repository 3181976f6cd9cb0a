#include "store/grpc_channel.hpp"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

namespace sslbind::store {

struct GrpcChannel::Exchange {
  std::string request;  // framed: the 5-byte prefix and the message
  std::size_t sent = 0;
  std::int32_t stream = -1;
  std::size_t max_answer = 0;
  std::string body;  // the answer's DATA, framed
  int http_status = 0;
  bool grpc_content = false;
  std::optional<int> grpc_status;
  std::string grpc_message;
  bool closed = false;
  std::uint32_t reset = 0;  // the stream's error code, when it was reset
  bool too_big = false;
};

namespace {

// Big windows: a page of a farm's listing is megabytes, and etcd on loopback should not wait for WINDOW_UPDATEs.
constexpr std::int32_t kWindow = 64 * 1024 * 1024;

GrpcChannel::Exchange* exchange_of(nghttp2_session* session, std::int32_t stream) {
  auto* e = static_cast<GrpcChannel::Exchange*>(nghttp2_session_get_stream_user_data(session, stream));
  return e != nullptr && e->stream == stream ? e : nullptr;
}

int on_header(nghttp2_session* session, const nghttp2_frame* frame, const std::uint8_t* name, std::size_t namelen,
              const std::uint8_t* value, std::size_t valuelen, std::uint8_t, void*) {
  auto* e = exchange_of(session, frame->hd.stream_id);
  if (e == nullptr) return 0;
  const std::string_view n(reinterpret_cast<const char*>(name), namelen);
  const std::string_view v(reinterpret_cast<const char*>(value), valuelen);
  if (n == ":status") {
    e->http_status = std::atoi(std::string(v).c_str());
  } else if (n == "content-type") {
    e->grpc_content = v.starts_with("application/grpc");
  } else if (n == "grpc-status") {
    e->grpc_status = std::atoi(std::string(v).c_str());
  } else if (n == "grpc-message") {
    e->grpc_message = std::string(v.substr(0, 512));
  }
  return 0;
}

int on_data(nghttp2_session* session, std::uint8_t, std::int32_t stream, const std::uint8_t* data, std::size_t len,
            void*) {
  auto* e = exchange_of(session, stream);
  if (e == nullptr) return 0;
  if (e->body.size() + len > e->max_answer + 5) {
    e->too_big = true;
    return nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, stream, NGHTTP2_CANCEL) == 0
               ? 0
               : NGHTTP2_ERR_CALLBACK_FAILURE;
  }
  e->body.append(reinterpret_cast<const char*>(data), len);
  return 0;
}

int on_close(nghttp2_session* session, std::int32_t stream, std::uint32_t error_code, void*) {
  if (auto* e = exchange_of(session, stream)) {
    e->closed = true;
    e->reset = error_code;
  }
  return 0;
}

ssize_t read_request(nghttp2_session*, std::int32_t, std::uint8_t* buf, std::size_t length, std::uint32_t* flags,
                     nghttp2_data_source* source, void*) {
  auto* e = static_cast<GrpcChannel::Exchange*>(source->ptr);
  const std::size_t n = std::min(length, e->request.size() - e->sent);
  std::memcpy(buf, e->request.data() + e->sent, n);
  e->sent += n;
  if (e->sent == e->request.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
  return static_cast<ssize_t>(n);
}

nghttp2_nv header(std::string_view name, std::string_view value) {
  return {const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(name.data())),
          const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(value.data())), name.size(), value.size(),
          NGHTTP2_NV_FLAG_NONE};
}

}  // namespace

GrpcChannel::GrpcChannel(std::unique_ptr<EtcdConnection> connection, std::string authority, bool tls)
    : connection_(std::move(connection)), authority_(std::move(authority)), tls_(tls) {}

GrpcChannel::~GrpcChannel() {
  if (session_ != nullptr) nghttp2_session_del(session_);
}

Result<std::unique_ptr<GrpcChannel>> GrpcChannel::open(const EtcdEndpoint& endpoint, const EtcdTls* tls,
                                                       Clock::time_point until) {
  auto connection = EtcdConnection::open(endpoint, tls, until, /*http2=*/true);
  if (!connection) return connection.error();
  std::unique_ptr<GrpcChannel> channel(new GrpcChannel(std::move(*connection), endpoint.str(), tls != nullptr));
  nghttp2_session_callbacks* callbacks = nullptr;
  if (nghttp2_session_callbacks_new(&callbacks) != 0) return Error(ErrorCode::RegistryUnavailable, "out of memory");
  nghttp2_session_callbacks_set_on_header_callback(callbacks, on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, on_data);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, on_close);
  const int made = nghttp2_session_client_new(&channel->session_, callbacks, nullptr);
  nghttp2_session_callbacks_del(callbacks);
  if (made != 0) return Error(ErrorCode::RegistryUnavailable, "out of memory");
  const nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
                                             {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, kWindow}};
  if (nghttp2_submit_settings(channel->session_, NGHTTP2_FLAG_NONE, settings, 2) != 0 ||
      nghttp2_session_set_local_window_size(channel->session_, NGHTTP2_FLAG_NONE, 0, kWindow) != 0) {
    return Error(ErrorCode::RegistryUnavailable, "out of memory");
  }
  return channel;
}

Status GrpcChannel::pump(Exchange& e, Clock::time_point until) {
  char buffer[65536];
  while (!e.closed) {
    while (nghttp2_session_want_write(session_) != 0) {
      const std::uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session_, &data);
      if (n < 0)
        return Error(ErrorCode::RegistryUnavailable, std::string("HTTP/2: ") + nghttp2_strerror(static_cast<int>(n)));
      if (n == 0) break;
      if (!connection_->send_all({reinterpret_cast<const char*>(data), static_cast<std::size_t>(n)}, until)) {
        return Error(ErrorCode::RegistryUnavailable, "the request could not be sent");
      }
    }
    if (e.closed) break;
    if (nghttp2_session_want_read(session_) == 0) return Error(ErrorCode::RegistryUnavailable, "etcd closed HTTP/2");
    const long n = connection_->receive(buffer, sizeof buffer, until);
    if (n == 0) return Error(ErrorCode::RegistryUnavailable, "etcd closed the connection");
    if (n < 0) return Error(ErrorCode::RegistryUnavailable, "no answer in time");
    const ssize_t used =
        nghttp2_session_mem_recv(session_, reinterpret_cast<const std::uint8_t*>(buffer), static_cast<std::size_t>(n));
    if (used < 0) {
      return Error(ErrorCode::RegistryUnavailable,
                   std::string("HTTP/2 from etcd: ") + nghttp2_strerror(static_cast<int>(used)));
    }
  }
  return Ok{};
}

Result<std::string> GrpcChannel::call(std::string_view method, const std::string& request, const std::string& token,
                                      std::size_t max_answer, Clock::time_point until, GrpcStatus& status) {
  if (broken_) return Error(ErrorCode::RegistryUnavailable, "the connection failed before");
  Exchange e;
  e.max_answer = max_answer;
  const auto size = static_cast<std::uint32_t>(request.size());
  e.request.reserve(request.size() + 5);
  e.request.push_back('\0');  // not compressed
  for (int shift = 24; shift >= 0; shift -= 8) e.request.push_back(static_cast<char>((size >> shift) & 0xff));
  e.request += request;
  std::vector<nghttp2_nv> headers{
      header(":method", "POST"),        header(":scheme", tls_ ? "https" : "http"), header(":path", method),
      header(":authority", authority_), header("content-type", "application/grpc"), header("te", "trailers")};
  if (!token.empty()) headers.push_back(header("token", token));
  nghttp2_data_provider body{};
  body.source.ptr = &e;
  body.read_callback = read_request;
  e.stream = nghttp2_submit_request(session_, nullptr, headers.data(), headers.size(), &body, &e);
  if (e.stream < 0) return Error(ErrorCode::RegistryUnavailable, std::string("HTTP/2: ") + nghttp2_strerror(e.stream));
  const Status pumped = pump(e, until);
  if (!pumped) {
    broken_ = true;  // nghttp2 may still hold the stream, which names `e`: nothing more is sent on this connection
    return pumped.error();
  }
  if (e.too_big) {
    return Error(ErrorCode::RegistryUnreadable,
                 "etcd's answer to " + std::string(method) + " is over " + std::to_string(max_answer >> 20) + " MiB");
  }
  if (e.http_status != 200 || (!e.grpc_content && !e.grpc_status)) {
    return Error(ErrorCode::RegistryUnreadable, "etcd's answer to " + std::string(method) + " is not gRPC (HTTP " +
                                                    std::to_string(e.http_status) + ")");
  }
  if (!e.grpc_status) {
    return Error(ErrorCode::RegistryUnavailable, "etcd's answer to " + std::string(method) +
                                                     " ended without a status (stream error " +
                                                     std::to_string(e.reset) + ")");
  }
  status = {*e.grpc_status, e.grpc_message};
  if (status.code != 0) return std::string();
  if (e.body.size() < 5 || e.body[0] != '\0') {
    return Error(ErrorCode::RegistryUnreadable, "etcd's answer to " + std::string(method) + " is not one message");
  }
  std::uint32_t length = 0;
  for (int i = 1; i <= 4; ++i) length = (length << 8) | static_cast<std::uint8_t>(e.body[static_cast<std::size_t>(i)]);
  if (length != e.body.size() - 5) {
    return Error(ErrorCode::RegistryUnreadable, "etcd's answer to " + std::string(method) + " is not one message");
  }
  return e.body.substr(5);
}

}  // namespace sslbind::store
