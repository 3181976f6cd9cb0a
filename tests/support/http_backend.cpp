#include "tests/support/http_backend.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>

namespace sslbind::test {
namespace {

bool send_all(int fd, const std::string& data) {
  for (std::size_t done = 0; done < data.size();) {
    const ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads from the socket into `buffer` until it holds `want` bytes; false when the peer closed first.
bool fill(int fd, std::string& buffer, std::size_t want) {
  char chunk[65536];
  while (buffer.size() < want) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  return true;
}

std::optional<std::string> field(const std::string& head, const std::string& name) {
  std::string lower = head;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  const auto at = lower.find("\r\n" + name + ":");
  if (at == std::string::npos) return std::nullopt;
  auto start = at + name.size() + 3;
  while (start < head.size() && head[start] == ' ') ++start;
  return head.substr(start, head.find("\r\n", start) - start);
}

std::uint64_t number_after(const std::string& target, const std::string& key) {
  const auto at = target.find(key + "=");
  return at == std::string::npos ? 0 : std::stoull(target.substr(at + key.size() + 1));
}

// RFC 6455, 4.2.2: the accept key answers the client's key.
std::string websocket_accept(const std::string& key) {
  const std::string text = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  unsigned char encoded[32];
  const int n = EVP_EncodeBlock(encoded, digest, sizeof digest);
  return std::string(reinterpret_cast<char*>(encoded), static_cast<std::size_t>(n));
}

// RFC 6455 frames from a client (masked), echoed back unmasked with the same opcode until a close frame, which is
// answered. `in` holds what came after the handshake.
void websocket_echo(int fd, std::string in) {
  while (true) {
    if (!fill(fd, in, 2)) return;
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(in[i]); };
    const unsigned opcode = byte(0) & 0x0F;
    std::uint64_t length = byte(1) & 0x7F;
    std::size_t at = 2;
    const std::size_t extended = length == 126 ? 2 : length == 127 ? 8 : 0;
    if (!fill(fd, in, at + extended + 4)) return;
    if (extended != 0) {
      length = 0;
      for (std::size_t i = 0; i < extended; ++i) length = length << 8 | byte(at + i);
      at += extended;
    }
    if (length > (1u << 20) || !fill(fd, in, at + 4 + length)) return;
    const std::string mask = in.substr(at, 4);
    std::string payload = in.substr(at + 4, length);
    for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(payload[i] ^ mask[i % 4]);
    in.erase(0, at + 4 + length);
    std::string frame(1, static_cast<char>(0x80 | opcode));
    if (payload.size() < 126) {
      frame += static_cast<char>(payload.size());
    } else {
      frame += static_cast<char>(126);
      frame += static_cast<char>(payload.size() >> 8);
      frame += static_cast<char>(payload.size() & 0xFF);
    }
    if (!send_all(fd, frame + payload) || opcode == 8) return;
  }
}

// A page as a browser loads it: three scripts, then a WebSocket that must echo; the result comes back as a request
// for /done?... that the test waits for.
const char* const kPage = R"(<!DOCTYPE html>
<html><head><title>sslbind</title>
<script src="/asset?n=1"></script><script src="/asset?n=2"></script><script src="/asset?n=3"></script>
</head><body><script>
const ws = new WebSocket("wss://" + location.host + "/wsecho");
ws.onopen = () => ws.send("hello over the front end");
ws.onmessage = (e) => { fetch("/done?assets=" + window.assets + "&echo=" + encodeURIComponent(e.data)); ws.close(); };
ws.onerror = () => fetch("/done?assets=" + window.assets + "&echo=error");
</script></body></html>
)";

}  // namespace

std::uint64_t HttpBackend::checksum(const std::string& bytes, std::uint64_t start) {
  std::uint64_t sum = start;
  for (const char c : bytes) sum = sum * 31 + static_cast<unsigned char>(c);
  return sum;
}

HttpBackend::HttpBackend(std::uint16_t port) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listener_, 128) != 0) return;
  socklen_t size = sizeof a;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &size);
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread([this] {
    while (!stopping_) {
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      const int connection = ++connections_;
      std::lock_guard lock(mutex_);
      open_.push_back(fd);
      threads_.emplace_back([this, fd, connection] { serve(fd, connection); });
    }
  });
}

HttpBackend::~HttpBackend() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);
  ::close(listener_);
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    for (const int fd : open_) ::shutdown(fd, SHUT_RDWR);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
}

std::vector<ReceivedRequest> HttpBackend::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void HttpBackend::serve(int fd, int connection) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::string in;
  while (!stopping_) {
    std::size_t head_end;
    while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
      if (!fill(fd, in, in.size() + 1)) return finish(fd);
    }
    const std::string head = in.substr(0, head_end + 2);
    in.erase(0, head_end + 4);
    const std::string method = head.substr(0, head.find(' '));
    const auto target_start = head.find(' ') + 1;
    const std::string target = head.substr(target_start, head.find(' ', target_start) - target_start);
    if (target == "/reset") {
      const linger hard{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
      {
        std::lock_guard lock(mutex_);
        requests_.push_back({head, 0, {}, connection});
      }
      return finish(fd);
    }
    if (field(head, "expect") == std::optional<std::string>("100-continue")) {
      send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n");
    }
    // The body, by its framing; kept only as a size and a checksum.
    std::uint64_t body = 0;
    std::uint64_t sum = 0;
    std::string trailers;
    auto take = [&](std::size_t n) {
      sum = checksum(in.substr(0, n), sum);
      body += n;
      in.erase(0, n);
    };
    if (const auto length = field(head, "content-length")) {
      std::uint64_t left = std::stoull(*length);
      while (left > 0) {
        if (in.empty() && !fill(fd, in, 1)) return finish(fd);
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, in.size()));
        take(n);
        left -= n;
      }
    } else if (field(head, "transfer-encoding")) {
      while (true) {
        std::size_t line_end;
        while ((line_end = in.find("\r\n")) == std::string::npos) {
          if (!fill(fd, in, in.size() + 1)) return finish(fd);
        }
        const std::uint64_t size = std::stoull(in.substr(0, line_end), nullptr, 16);
        in.erase(0, line_end + 2);
        if (size == 0) {
          // Trailer fields, if any, then the empty line.
          std::size_t end_of_trailers;
          while ((end_of_trailers = in.find("\r\n")) != 0 &&
                 (end_of_trailers == std::string::npos || in.find("\r\n\r\n") == std::string::npos)) {
            if (!fill(fd, in, in.size() + 1)) return finish(fd);
          }
          if (end_of_trailers == 0) {
            in.erase(0, 2);
          } else {
            const auto blank = in.find("\r\n\r\n");
            trailers = in.substr(0, blank + 2);
            in.erase(0, blank + 4);
          }
          break;
        }
        std::uint64_t left = size;
        while (left > 0) {
          if (in.empty() && !fill(fd, in, 1)) return finish(fd);
          const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, in.size()));
          take(n);
          left -= n;
        }
        if (!fill(fd, in, 2)) return finish(fd);
        in.erase(0, 2);
      }
    }
    {
      std::lock_guard lock(mutex_);
      requests_.push_back({head, body, trailers, connection});
    }
    const bool head_only = method == "HEAD";
    std::string answer;
    if (target.starts_with("/slow")) std::this_thread::sleep_for(std::chrono::milliseconds(number_after(target, "ms")));
    if (target.starts_with("/big") || target.starts_with("/chunked")) {
      const std::uint64_t n = number_after(target, "n");
      const bool chunked = target.starts_with("/chunked");
      answer =
          "HTTP/1.1 200 OK\r\n" +
          (chunked ? std::string("Transfer-Encoding: chunked\r\n") : "Content-Length: " + std::to_string(n) + "\r\n") +
          "\r\n";
      if (!send_all(fd, answer)) return finish(fd);
      if (head_only) continue;
      std::string block;
      for (std::uint64_t i = 0; i < n;) {
        const std::uint64_t size = std::min<std::uint64_t>(n - i, 64 * 1024);
        block.clear();
        for (std::uint64_t j = 0; j < size; ++j) block += pattern(i + j);
        if (chunked) {
          char size_line[32];
          std::snprintf(size_line, sizeof size_line, "%llx\r\n", static_cast<unsigned long long>(size));
          block = size_line + block + "\r\n";
        }
        if (!send_all(fd, block)) return finish(fd);
        i += size;
      }
      if (chunked && !send_all(fd, "0\r\n\r\n")) return finish(fd);
      continue;
    }
    if (target == "/ws") {
      send_all(fd, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n" + in);
      char chunk[4096];
      while (true) {
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0 || !send_all(fd, std::string(chunk, static_cast<std::size_t>(n)))) break;
      }
      return finish(fd);
    }
    if (target == "/wsecho") {
      const auto key = field(head, "sec-websocket-key");
      send_all(fd,
               "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: " +
                   websocket_accept(key.value_or("")) + "\r\n\r\n");
      websocket_echo(fd, std::move(in));
      return finish(fd);
    }
    if (target == "/page" || target.starts_with("/asset")) {
      const std::string text = target == "/page" ? kPage : "window.assets = (window.assets || 0) + 1;\n";
      const std::string type = target == "/page" ? "text/html" : "text/javascript";
      answer = "HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + std::to_string(text.size()) +
               "\r\nCache-Control: no-store\r\n\r\n" + (head_only ? "" : text);
      if (!send_all(fd, answer)) return finish(fd);
      continue;
    }
    if (target == "/trailers") {
      send_all(fd, "HTTP/1.1 103 Early Hints\r\nLink: </asset?n=1>; rel=preload\r\n\r\n");
      answer = "HTTP/1.1 200 OK\r\nTrailer: grpc-status\r\nTransfer-Encoding: chunked\r\n\r\n";
      if (!head_only) answer += "5\r\nhello\r\n0\r\ngrpc-status: 0\r\nX-Checksum: abc\r\n\r\n";
      if (!send_all(fd, answer)) return finish(fd);
      continue;
    }
    if (target == "/close") {
      send_all(fd, "HTTP/1.1 200 OK\r\n\r\nthe body ends with the connection");
      return finish(fd);
    }
    const std::string body_text = target == "/body" ? std::to_string(body) + " " + std::to_string(sum) : head;
    answer = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body_text.size()) +
             "\r\n\r\n" + (head_only ? "" : body_text);
    if (!send_all(fd, answer)) return finish(fd);
  }
  finish(fd);
}

void HttpBackend::finish(int fd) {
  std::lock_guard lock(mutex_);
  open_.erase(std::remove(open_.begin(), open_.end(), fd), open_.end());
  ::close(fd);
}

}  // namespace sslbind::test
