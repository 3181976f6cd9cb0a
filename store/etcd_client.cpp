#include "store/etcd_client.hpp"

#include <charconv>
#include <cstdlib>

#include "core/text.hpp"
#include "store/base64.hpp"
#include "store/etcd_kv_messages.hpp"
#include "store/grpc_channel.hpp"

namespace sslbind::store {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr std::size_t kMaxAnswer = 256 * 1024 * 1024;
// Keys per page of a listing. etcd counts the rest of the range for every page, so pages are large: 100k bindings
// take two pages of about 20 MiB each (ten pages of 10k took twice as long).
constexpr std::int64_t kPage = 50000;

// Whether `raw` holds a whole HTTP/1.1 answer; then its status and body. By Content-Length or chunked framing, as
// etcd's gateway frames answers; neither framing: the answer ends with the connection (`closed`).
struct Answer {
  bool complete = false;
  bool malformed = false;
  int status = 0;
  std::string body;
};

Answer parse_answer(const std::string& raw, bool closed) {
  Answer a;
  const std::size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    a.malformed = closed || raw.size() > 65536;
    return a;
  }
  if (!raw.starts_with("HTTP/1.") || raw.size() < 12) {
    a.malformed = true;
    return a;
  }
  a.status = std::atoi(raw.c_str() + 9);
  const std::string head = text::to_lower(raw.substr(0, head_end));
  const std::size_t body_at = head_end + 4;
  if (head.find("\r\ntransfer-encoding: chunked") != std::string::npos) {
    std::size_t at = body_at;
    while (true) {
      const std::size_t line_end = raw.find("\r\n", at);
      if (line_end == std::string::npos) return a;
      std::size_t size = 0;
      const auto [end, ec] = std::from_chars(raw.data() + at, raw.data() + line_end, size, 16);
      if (ec != std::errc() || end != raw.data() + line_end) {
        a.malformed = true;
        return a;
      }
      if (line_end + 2 + size + 2 > raw.size()) return a;
      if (size == 0) {
        a.complete = true;
        return a;
      }
      a.body.append(raw, line_end + 2, size);
      at = line_end + 2 + size + 2;
    }
  }
  const std::size_t length_at = head.find("\r\ncontent-length:");
  if (length_at != std::string::npos) {
    const std::size_t length = std::strtoull(head.c_str() + length_at + 17, nullptr, 10);
    if (raw.size() - body_at < length) return a;
    a.body = raw.substr(body_at, length);
    a.complete = true;
    return a;
  }
  a.body = raw.substr(body_at);
  a.complete = closed;
  return a;
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

// A gRPC status etcd answered with: UNAVAILABLE and DEADLINE_EXCEEDED are transient (a leader election, a member
// catching up); anything else is etcd's refusal, named.
Error grpc_refusal(const GrpcStatus& status) {
  constexpr int kDeadlineExceeded = 4, kUnavailable = 14;
  const std::string message = status.message.empty() ? "gRPC status " + std::to_string(status.code) : status.message;
  if (status.code == kUnavailable || status.code == kDeadlineExceeded) {
    return Error(ErrorCode::RegistryUnavailable, message);
  }
  return Error(ErrorCode::RegistryUnreadable, "etcd refused the listing: " + message);
}

}  // namespace

EtcdClient::EtcdClient(std::vector<EtcdEndpoint> endpoints, std::chrono::milliseconds deadline, EtcdSecurity security)
    : endpoints_(std::move(endpoints)), deadline_(deadline), security_(std::move(security)) {
  if (!security_.tls) return;
  auto tls = EtcdTls::make(security_);
  if (tls) {
    tls_ = std::move(*tls);
  } else {
    setup_error_ = tls.error();
  }
}

std::string EtcdClient::b64(const std::string& bytes) {
  return base64({reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
}

Result<std::string> EtcdClient::unb64(const std::string& text) {
  if (text.empty()) return std::string();  // the gateway leaves an empty value out; so it reads as ""
  auto bytes = unbase64(text);
  if (!bytes) return Error(ErrorCode::RegistryUnreadable, "etcd answered a key or value that is not base64");
  return std::string(bytes->begin(), bytes->end());
}

std::string EtcdClient::request_text(const EtcdEndpoint& endpoint, const std::string& path, const std::string& body,
                                     bool close) const {
  std::string out = "POST " + path + " HTTP/1.1\r\nHost: " + endpoint.str() +
                    "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  if (!token_.empty()) out += "Authorization: " + token_ + "\r\n";
  if (close) out += "Connection: close\r\n";
  return out + "\r\n" + body;
}

Result<std::string> EtcdClient::post(const EtcdEndpoint& endpoint, const std::string& path, const std::string& body,
                                     Clock::time_point until) {
  auto connection = EtcdConnection::open(endpoint, tls_.get(), until);
  if (!connection) return connection.error();
  if (!(*connection)->send_all(request_text(endpoint, path, body, true), until)) {
    return Error(ErrorCode::RegistryUnavailable, "the request could not be sent");
  }
  std::string raw;
  char buffer[65536];
  Answer answer;
  while (true) {
    const long n = (*connection)->receive(buffer, sizeof buffer, until);
    if (n > 0) raw.append(buffer, static_cast<std::size_t>(n));
    answer = parse_answer(raw, n <= 0);
    if (answer.complete || answer.malformed) break;
    if (n < 0) return Error(ErrorCode::RegistryUnavailable, "no answer in time");
    if (raw.size() > kMaxAnswer) return Error(ErrorCode::RegistryUnreadable, "etcd's answer is over 256 MiB");
  }
  if (answer.malformed) return Error(ErrorCode::RegistryUnavailable, "etcd's answer is not HTTP");
  if (answer.status == 200) return std::move(answer.body);
  std::string message = "HTTP " + std::to_string(answer.status);
  const json error = json::parse(answer.body, nullptr, false);
  if (error.is_object() && error.contains("message") && error["message"].is_string()) {
    message = error["message"].get<std::string>();
  } else if (error.is_object() && error.contains("error") && error["error"].is_string()) {
    message = error["error"].get<std::string>();
  }
  return refused(message);
}

Status EtcdClient::authenticate(const EtcdEndpoint& endpoint, Clock::time_point until) {
  token_.clear();
  auto answer = post(endpoint, "/v3/auth/authenticate",
                     json{{"name", security_.user}, {"password", security_.password}}.dump(), until);
  if (!answer) {
    if (answer.error().code == ErrorCode::RegistryUnavailable) return answer.error();
    return Error(ErrorCode::RegistryUnavailable, "etcd refused the user " + security_.user + ": " +
                                                     answer.error().detail.substr(answer.error().detail.find(':') + 2));
  }
  const json parsed = json::parse(*answer, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("token") || !parsed["token"].is_string()) {
    return Error(ErrorCode::RegistryUnavailable, "etcd gave no token to the user " + security_.user);
  }
  token_ = parsed["token"].get<std::string>();
  return Ok{};
}

Result<std::string> EtcdClient::exchange(const EtcdEndpoint& endpoint, const std::string& path, const std::string& body,
                                         Clock::time_point until) {
  if (!security_.user.empty() && token_.empty()) {
    if (auto s = authenticate(endpoint, until); !s) return s.error();
  }
  auto answer = post(endpoint, path, body, until);
  // etcd drops tokens (their TTL, a restart, a new leader): authenticate again, once, and repeat the request.
  if (!answer && !security_.user.empty() && answer.error().detail.find("invalid auth token") != std::string::npos) {
    if (auto s = authenticate(endpoint, until); !s) return s.error();
    answer = post(endpoint, path, body, until);
  }
  return answer;
}

Result<json> EtcdClient::call(const std::string& path, const json& body) {
  if (setup_error_) return *setup_error_;
  const std::string text = body.dump();
  // A large transaction (a batch, an import) takes etcd longer to apply: a second more per MiB it carries.
  const auto until = Clock::now() + deadline_ + std::chrono::seconds(text.size() >> 20);
  std::string tried;
  std::string why;
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    const std::size_t at = (next_ + i) % endpoints_.size();
    auto answer = exchange(endpoints_[at], path, text, until);
    if (!answer && answer.error().code == ErrorCode::RegistryUnavailable) {
      tried += (tried.empty() ? "" : ", ") + endpoints_[at].str();
      if (answer.error().detail != "no connection" && answer.error().detail != "no answer in time") {
        why = answer.error().detail;
      }
      continue;
    }
    if (!answer) return answer.error();
    next_ = at;
    json parsed = json::parse(*answer, nullptr, false);
    if (!parsed.is_object()) return Error(ErrorCode::RegistryUnreadable, "etcd's answer to " + path + " is not JSON");
    return parsed;
  }
  if (!why.empty())
    return Error(ErrorCode::RegistryUnavailable, "etcd at " + tried + ": " + why + "; nothing was changed");
  return Error(ErrorCode::RegistryUnavailable, "etcd did not answer at " + tried + " within " +
                                                   std::to_string(deadline_.count()) + " ms; nothing was changed");
}

Result<std::unique_ptr<EtcdConnection>> EtcdClient::open_stream(const std::string& path, const json& body,
                                                                std::string& pending) {
  if (setup_error_) return *setup_error_;
  const auto until = Clock::now() + deadline_;
  const std::string text = body.dump();
  std::string tried;
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    const std::size_t at = (next_ + i) % endpoints_.size();
    const EtcdEndpoint& endpoint = endpoints_[at];
    tried += (tried.empty() ? "" : ", ") + endpoint.str();
    if (!security_.user.empty() && token_.empty() && !authenticate(endpoint, until)) continue;
    auto connection = EtcdConnection::open(endpoint, tls_.get(), until);
    if (!connection || !(*connection)->send_all(request_text(endpoint, path, text, false), until)) continue;
    std::string raw;
    char buffer[4096];
    while (raw.find("\r\n\r\n") == std::string::npos && raw.size() < 16384) {
      const long n = (*connection)->receive(buffer, sizeof buffer, until);
      if (n <= 0) break;
      raw.append(buffer, static_cast<std::size_t>(n));
    }
    const std::size_t head_end = raw.find("\r\n\r\n");
    if (head_end == std::string::npos || !raw.starts_with("HTTP/1.1 200")) {
      token_.clear();  // a refusal may be a token etcd dropped: the next try authenticates again
      continue;
    }
    pending = raw.substr(head_end + 4);
    next_ = at;
    return std::move(*connection);
  }
  return Error(ErrorCode::RegistryUnavailable, "etcd did not open a watch at " + tried);
}

Result<EtcdRange> EtcdClient::range_prefix(const std::string& prefix) {
  if (setup_error_) return *setup_error_;
  std::string tried;
  std::string why;
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    const std::size_t at = (next_ + i) % endpoints_.size();
    auto range = range_on(endpoints_[at], prefix);
    // etcd drops tokens (their TTL, a restart, a new leader): authenticate again, once, and list again.
    if (!range && !security_.user.empty() && range.error().detail.find("invalid auth token") != std::string::npos) {
      token_.clear();
      range = range_on(endpoints_[at], prefix);
    }
    if (!range && range.error().code == ErrorCode::RegistryUnavailable) {
      tried += (tried.empty() ? "" : ", ") + endpoints_[at].str();
      if (range.error().detail != "no connection" && range.error().detail != "no answer in time") {
        why = range.error().detail;
      }
      continue;
    }
    if (range) next_ = at;
    return range;
  }
  if (!why.empty())
    return Error(ErrorCode::RegistryUnavailable, "etcd at " + tried + ": " + why + "; nothing was changed");
  return Error(ErrorCode::RegistryUnavailable, "etcd did not answer at " + tried + " within " +
                                                   std::to_string(deadline_.count()) + " ms; nothing was changed");
}

Result<EtcdRange> EtcdClient::range_on(const EtcdEndpoint& endpoint, const std::string& prefix) {
  // Each step has the whole deadline: a farm of a million bindings takes more pages, not longer ones.
  auto until = Clock::now() + deadline_;
  if (!security_.user.empty() && token_.empty()) {
    if (auto s = authenticate(endpoint, until); !s) return s.error();
  }
  auto channel = GrpcChannel::open(endpoint, tls_.get(), until);
  if (!channel) return channel.error();
  EtcdRangeRequest request;
  request.key = prefix;
  // The range end of a prefix: the prefix with its last byte raised (the prefix ends in '/', never in 0xff).
  request.range_end = prefix;
  request.range_end.back() = static_cast<char>(request.range_end.back() + 1);
  request.limit = kPage;
  EtcdRange out;
  while (true) {
    GrpcStatus status;
    until = Clock::now() + deadline_;
    auto answer =
        (*channel)->call("/etcdserverpb.KV/Range", encode_range_request(request), token_, kMaxAnswer, until, status);
    if (!answer) return answer.error();
    if (status.code != 0) return grpc_refusal(status);
    auto page = decode_range_response(*answer);
    if (!page) return page.error();
    if (out.revision == 0) {
      out.revision = page->revision;
      out.cluster_id = std::to_string(page->cluster_id);
      request.revision = page->revision;  // every page at the first one's revision
    }
    const bool more = page->more && !page->kvs.empty();
    if (more) request.key = page->kvs.back().key + '\0';
    if (out.kvs.empty()) {
      out.kvs = std::move(page->kvs);
    } else {
      out.kvs.insert(out.kvs.end(), std::make_move_iterator(page->kvs.begin()),
                     std::make_move_iterator(page->kvs.end()));
    }
    if (!more) return out;
  }
}

Result<bool> EtcdClient::txn(const json& compare, const json& success, std::int64_t& revision) {
  auto answer = call("/v3/kv/txn", {{"compare", compare}, {"success", success}});
  if (!answer) return answer.error();
  revision = number((*answer)["header"], "revision");
  return answer->value("succeeded", false);
}

}  // namespace sslbind::store
