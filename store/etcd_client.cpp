#include "store/etcd_client.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "core/text.hpp"
#include "store/base64.hpp"

namespace sslbind::store {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr std::size_t kMaxAnswer = 256 * 1024 * 1024;
constexpr int kPage = 2000;  // keys per range page

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

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

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

// The body of an HTTP/1.1 answer read whole (the request said Connection: close): by Content-Length, chunked, or to
// the end. The status in `status`.
Result<std::string> answer_body(const std::string& raw, int& status) {
  const std::size_t head_end = raw.find("\r\n\r\n");
  if (!raw.starts_with("HTTP/1.") || raw.size() < 12 || head_end == std::string::npos) {
    return invalid("etcd's answer is not HTTP");
  }
  status = std::atoi(raw.c_str() + 9);
  const std::string head = text::to_lower(raw.substr(0, head_end));
  std::string body = raw.substr(head_end + 4);
  if (head.find("\r\ntransfer-encoding: chunked") == std::string::npos) return body;
  std::string out;
  std::size_t at = 0;
  while (true) {
    const std::size_t line_end = body.find("\r\n", at);
    if (line_end == std::string::npos) return invalid("etcd's chunked answer is cut");
    std::size_t size = 0;
    const auto [end, ec] = std::from_chars(body.data() + at, body.data() + line_end, size, 16);
    if (ec != std::errc() || line_end + 2 + size > body.size()) return invalid("etcd's chunked answer is cut");
    (void)end;
    if (size == 0) return out;
    out.append(body, line_end + 2, size);
    at = line_end + 2 + size + 2;
  }
}

std::int64_t number(const json& j, const char* name) {
  const auto it = j.find(name);
  if (it == j.end()) return 0;
  if (it->is_string()) return std::atoll(it->get_ref<const std::string&>().c_str());
  return it->is_number() ? it->get<std::int64_t>() : 0;
}

// etcd's refusals of a request that is too big name its own limit; the message says which and what to do.
Error refused(const std::string& message) {
  if (message.find("too many operations in txn request") != std::string::npos) {
    return Error(ErrorCode::RegistryWriteFailed,
                 "etcd refused the transaction: it has more operations than etcd's --max-txn-ops allows (128 by "
                 "default); it is never split, so nothing was written: raise --max-txn-ops on every member, or apply "
                 "the change in smaller batches");
  }
  if (message.find("request is too large") != std::string::npos) {
    return Error(ErrorCode::RegistryWriteFailed,
                 "etcd refused the transaction: it is larger than etcd's --max-request-bytes allows (1.5 MiB by "
                 "default); it is never split, so nothing was written: raise --max-request-bytes, or apply the "
                 "change in smaller batches");
  }
  return Error(ErrorCode::RegistryWriteFailed, "etcd refused the request: " + message);
}

}  // namespace

EtcdClient::EtcdClient(std::vector<EtcdEndpoint> endpoints, std::chrono::milliseconds deadline)
    : endpoints_(std::move(endpoints)), deadline_(deadline) {}

std::string EtcdClient::b64(const std::string& bytes) {
  return base64({reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
}

Result<std::string> EtcdClient::unb64(const std::string& text) {
  if (text.empty()) return std::string();  // the gateway leaves an empty value out; so it reads as ""
  auto bytes = unbase64(text);
  if (!bytes) return Error(ErrorCode::RegistryUnreadable, "etcd answered a key or value that is not base64");
  return std::string(bytes->begin(), bytes->end());
}

Result<std::string> EtcdClient::post(const EtcdEndpoint& endpoint, const std::string& path, const std::string& body,
                                     Clock::time_point until) {
  Fd socket{connect_to(endpoint, until)};
  if (socket.fd < 0) return Error(ErrorCode::RegistryUnavailable, "no connection");
  const std::string request = "POST " + path + " HTTP/1.1\r\nHost: " + endpoint.str() +
                              "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                              "\r\nConnection: close\r\n\r\n" + body;
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(socket.fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!wait_for(socket.fd, POLLOUT, until)) return Error(ErrorCode::RegistryUnavailable, "no answer");
    } else {
      return Error(ErrorCode::RegistryUnavailable, std::strerror(errno));
    }
  }
  std::string raw;
  char buffer[65536];
  while (true) {
    const ssize_t n = ::recv(socket.fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      raw.append(buffer, static_cast<std::size_t>(n));
      if (raw.size() > kMaxAnswer) return Error(ErrorCode::RegistryUnreadable, "etcd's answer is over 256 MiB");
    } else if (n == 0) {
      break;
    } else if (errno == EAGAIN || errno == EINTR) {
      if (!wait_for(socket.fd, POLLIN, until)) return Error(ErrorCode::RegistryUnavailable, "no answer in time");
    } else {
      return Error(ErrorCode::RegistryUnavailable, std::strerror(errno));
    }
  }
  int status = 0;
  auto answer = answer_body(raw, status);
  if (!answer) return Error(ErrorCode::RegistryUnavailable, answer.error().detail);
  if (status == 200) return answer;
  std::string message = "HTTP " + std::to_string(status);
  const json error = json::parse(*answer, nullptr, false);
  if (error.is_object() && error.contains("message") && error["message"].is_string()) {
    message = error["message"].get<std::string>();
  } else if (error.is_object() && error.contains("error") && error["error"].is_string()) {
    message = error["error"].get<std::string>();
  }
  return refused(message);
}

Result<json> EtcdClient::call(const std::string& path, const json& body) {
  const std::string text = body.dump();
  // A large transaction (a batch, an import) takes etcd longer to apply: a second more per MiB it carries.
  const auto until = Clock::now() + deadline_ + std::chrono::seconds(text.size() >> 20);
  std::string tried;
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    const std::size_t at = (next_ + i) % endpoints_.size();
    auto answer = post(endpoints_[at], path, text, until);
    if (!answer && answer.error().code == ErrorCode::RegistryUnavailable) {
      tried += (tried.empty() ? "" : ", ") + endpoints_[at].str();
      continue;
    }
    if (!answer) return answer.error();
    next_ = at;
    json parsed = json::parse(*answer, nullptr, false);
    if (!parsed.is_object()) return Error(ErrorCode::RegistryUnreadable, "etcd's answer to " + path + " is not JSON");
    return parsed;
  }
  return Error(ErrorCode::RegistryUnavailable, "etcd did not answer at " + tried + " within " +
                                                   std::to_string(deadline_.count()) + " ms; nothing was changed");
}

Result<int> EtcdClient::open_stream(const std::string& path, const json& body, std::string& pending) {
  const auto until = Clock::now() + deadline_;
  const std::string text = body.dump();
  std::string tried;
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    const std::size_t at = (next_ + i) % endpoints_.size();
    const EtcdEndpoint& endpoint = endpoints_[at];
    tried += (tried.empty() ? "" : ", ") + endpoint.str();
    Fd socket{connect_to(endpoint, until)};
    if (socket.fd < 0) continue;
    const std::string request = "POST " + path + " HTTP/1.1\r\nHost: " + endpoint.str() +
                                "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(text.size()) +
                                "\r\n\r\n" + text;
    if (::send(socket.fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
      continue;  // a request this small goes in one send on a new connection, or the connection is not worth it
    }
    std::string raw;
    char buffer[4096];
    while (raw.find("\r\n\r\n") == std::string::npos && raw.size() < 16384) {
      const ssize_t n = ::recv(socket.fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        raw.append(buffer, static_cast<std::size_t>(n));
      } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        if (!wait_for(socket.fd, POLLIN, until)) break;
      } else {
        break;
      }
    }
    const std::size_t head_end = raw.find("\r\n\r\n");
    if (head_end == std::string::npos || !raw.starts_with("HTTP/1.1 200")) continue;
    pending = raw.substr(head_end + 4);
    next_ = at;
    const int fd = socket.fd;
    socket.fd = -1;
    return fd;
  }
  return Error(ErrorCode::RegistryUnavailable, "etcd did not open a watch at " + tried);
}

Result<EtcdRange> EtcdClient::range_prefix(const std::string& prefix) {
  // The range end of a prefix: the prefix with its last byte raised (the prefix ends in '/', never in 0xff).
  std::string end = prefix;
  end.back() = static_cast<char>(end.back() + 1);
  EtcdRange out;
  std::string from = prefix;
  while (true) {
    json body{{"key", b64(from)}, {"range_end", b64(end)}, {"limit", kPage}};
    if (out.revision != 0) body["revision"] = std::to_string(out.revision);  // every page at the first one's revision
    auto answer = call("/v3/kv/range", body);
    if (!answer) return answer.error();
    if (out.revision == 0) {
      out.revision = number((*answer)["header"], "revision");
      out.cluster_id = (*answer)["header"].value("cluster_id", "");
    }
    const json kvs = answer->value("kvs", json::array());
    for (const json& kv : kvs) {
      auto key = unb64(kv.value("key", ""));
      auto value = unb64(kv.value("value", ""));
      if (!key || !value) return Error(ErrorCode::RegistryUnreadable, "etcd answered a key that is not base64");
      out.kvs.push_back({std::move(*key), std::move(*value), number(kv, "mod_revision")});
    }
    if (!answer->value("more", false) || kvs.empty()) return out;
    from = out.kvs.back().key + '\0';
  }
}

Result<bool> EtcdClient::txn(const json& compare, const json& success, std::int64_t& revision) {
  auto answer = call("/v3/kv/txn", {{"compare", compare}, {"success", success}});
  if (!answer) return answer.error();
  revision = number((*answer)["header"], "revision");
  return answer->value("succeeded", false);
}

}  // namespace sslbind::store
