// The handshake client of bench/serve.sh: new TCP connection and full TLS 1.3 handshake each time (X25519), SNI
// rotating over N names, never resuming; loopback only. Prints one JSON line.
//   load  HOST PORT NAMES THREADS SECONDS MAX   handshakes from THREADS threads for SECONDS or MAX handshakes
//   hello HOST PORT NAMES THREADS SECONDS MAX   the same, but each connection only sends its ClientHello and waits
//                                               for the server's first flight (the server does all its handshake
//                                               work, the client almost none): load on the server alone
//   probe HOST PORT NAME SECONDS MAX GAP_MS     sequential handshakes to one name: latency percentiles
//   warm  HOST PORT NAMES                       one handshake per name, in order
//   first HOST PORT NAME SINCE_NS TIMEOUT_S     tries until one handshake succeeds; ms since SINCE_NS (CLOCK_REALTIME)
//   hold  HOST PORT NAME COUNT KIND SECONDS     opens COUNT connections from 4 threads and keeps them open: KIND tcp
//                                               sends nothing, KIND request shakes hands and reads the answer to one
//                                               keep-alive GET, KIND h2 does the same over HTTP/2 (ALPN h2); prints
//                                               one JSON line once they are open, then holds them SECONDS
// NAMES is "PREFIX%SUFFIX:N": site%.bench.test:1000 is site0.bench.test ... site999.bench.test.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Target {
  std::string host;
  std::uint16_t port;
};

struct Names {
  std::string prefix, suffix;
  long count = 1;
  bool numbered = true;  // false: one plain name, in `prefix`
  std::string at(long i) const { return numbered ? prefix + std::to_string(i % count) + suffix : prefix; }
};

Names parse_names(const std::string& spec) {
  Names n;
  const auto pct = spec.find('%');
  const auto colon = spec.rfind(':');
  if (pct == std::string::npos) return {spec, "", 1, false};
  n.prefix = spec.substr(0, pct);
  n.suffix = spec.substr(pct + 1, colon == std::string::npos ? std::string::npos : colon - pct - 1);
  n.count = colon == std::string::npos ? 1 : std::atol(spec.c_str() + colon + 1);
  return n;
}

SSL_CTX* context() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
  SSL_CTX_set1_groups_list(ctx, "X25519");
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  return ctx;
}

// Sends the ClientHello OpenSSL makes and waits for the answer's first bytes; true when they start a handshake
// record (not an alert).
bool hello_only(SSL_CTX* ctx, int fd, const std::string& sni) {
  SSL* ssl = SSL_new(ctx);
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, in, out);
  SSL_set_tlsext_host_name(ssl, sni.c_str());
  SSL_connect(ssl);  // writes the ClientHello to `out`, then wants to read
  char* data = nullptr;
  const long size = BIO_get_mem_data(out, &data);
  bool ok = size > 0 && ::send(fd, data, static_cast<std::size_t>(size), MSG_NOSIGNAL) == size;
  unsigned char first = 0;
  ok = ok && ::recv(fd, &first, 1, 0) == 1 && first == 0x16;
  SSL_free(ssl);
  return ok;
}

// A connected TCP socket to the target, or -1.
int connect_to(const Target& t) {
  const bool v6 = t.host.find(':') != std::string::npos;
  const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(t.port);
    inet_pton(AF_INET6, t.host.c_str(), &a->sin6_addr);
    len = sizeof *a;
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    a->sin_family = AF_INET;
    a->sin_port = htons(t.port);
    inet_pton(AF_INET, t.host.c_str(), &a->sin_addr);
    len = sizeof *a;
  }
  if (::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// One full handshake (or, with `hello`, its first half); true on success.
bool handshake(SSL_CTX* ctx, const Target& t, const std::string& sni, bool hello = false) {
  const int fd = connect_to(t);
  if (fd < 0) return false;
  bool ok = false;
  if (hello) {
    ok = hello_only(ctx, fd, sni);
  } else {
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, sni.c_str());
    ok = SSL_connect(ssl) == 1;
    SSL_free(ssl);
  }
  ::close(fd);
  return ok;
}

// A TLS connection that made one keep-alive request and read its whole answer, then is left open with nothing
// more to say: the socket (the SSL object is freed; the server cannot tell). -1 on failure.
int idle_after_request(SSL_CTX* ctx, const Target& t, const std::string& sni) {
  const int fd = connect_to(t);
  if (fd < 0) return -1;
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, sni.c_str());
  bool ok = SSL_connect(ssl) == 1;
  const std::string request = "GET / HTTP/1.1\r\nHost: " + sni + "\r\n\r\n";
  ok = ok && SSL_write(ssl, request.data(), static_cast<int>(request.size())) == static_cast<int>(request.size());
  std::string answer;
  char buffer[4096];
  while (ok) {
    const auto end = answer.find("\r\n\r\n");
    if (end != std::string::npos) {
      const auto at = answer.find("Content-Length: ");
      const std::size_t body = at == std::string::npos ? 0 : std::strtoul(answer.c_str() + at + 16, nullptr, 10);
      if (answer.size() >= end + 4 + body) break;
    }
    const int n = SSL_read(ssl, buffer, sizeof buffer);
    ok = n > 0;
    if (ok) answer.append(buffer, static_cast<std::size_t>(n));
  }
  SSL_free(ssl);
  if (!ok) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// The same over HTTP/2: the preface, SETTINGS, one GET on stream 1 (HPACK: static indexes and one literal), its
// answer read to the END_STREAM of stream 1, the server's SETTINGS acknowledged. -1 on failure.
int idle_after_h2_request(SSL_CTX* ctx, const Target& t, const std::string& sni) {
  const int fd = connect_to(t);
  if (fd < 0 || sni.size() > 100) return -1;
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, sni.c_str());
  static const unsigned char kAlpn[] = {2, 'h', '2'};
  SSL_set_alpn_protos(ssl, kAlpn, sizeof kAlpn);
  bool ok = SSL_connect(ssl) == 1;
  const unsigned char* chosen = nullptr;
  unsigned int chosen_size = 0;
  SSL_get0_alpn_selected(ssl, &chosen, &chosen_size);
  ok = ok && chosen_size == 2 && std::memcmp(chosen, "h2", 2) == 0;
  std::string out = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  out += std::string("\0\0\0\4\0\0\0\0\0", 9);  // SETTINGS, empty
  // :method GET, :scheme https, :path /, :authority with a literal value.
  std::string block = "\x82\x87\x84\x41";
  block += static_cast<char>(sni.size());
  block += sni;
  out += std::string("\0\0", 2) + static_cast<char>(block.size()) + "\x01\x05" + std::string("\0\0\0\1", 4) + block;
  ok = ok && SSL_write(ssl, out.data(), static_cast<int>(out.size())) == static_cast<int>(out.size());
  std::string in;
  char buffer[4096];
  bool ended = false;
  while (ok && !ended) {
    const int n = SSL_read(ssl, buffer, sizeof buffer);
    ok = n > 0;
    if (ok) in.append(buffer, static_cast<std::size_t>(n));
    while (ok && in.size() >= 9) {
      const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(in[i]); };
      const std::size_t length = (std::size_t{byte(0)} << 16) | (std::size_t{byte(1)} << 8) | byte(2);
      if (in.size() < 9 + length) break;
      const unsigned type = byte(3), flags = byte(4);
      const unsigned stream =
          (unsigned{byte(5)} & 0x7F) << 24 | unsigned{byte(6)} << 16 | unsigned{byte(7)} << 8 | byte(8);
      if (type == 4 && (flags & 1) == 0) {
        const std::string ack("\0\0\0\4\1\0\0\0\0", 9);
        ok = SSL_write(ssl, ack.data(), 9) == 9;
      }
      if (stream == 1 && (type == 0 || type == 1) && (flags & 1) != 0) ended = true;
      if (stream == 1 && type == 3) ok = false;  // RST_STREAM
      in.erase(0, 9 + length);
    }
  }
  SSL_free(ssl);
  if (!ok) {
    ::close(fd);
    return -1;
  }
  return fd;
}

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

void print(long ok, long failed, double seconds, std::vector<double> latencies) {
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    if (latencies.empty()) return 0.0;
    return latencies[std::min(latencies.size() - 1,
                              static_cast<std::size_t>(p * static_cast<double>(latencies.size())))];
  };
  std::printf(
      "{\"handshakes\": %ld, \"failures\": %ld, \"seconds\": %.3f, \"p50_ms\": %.3f, \"p90_ms\": %.3f, "
      "\"p99_ms\": %.3f, \"max_ms\": %.3f}\n",
      ok, failed, seconds, pct(0.5), pct(0.9), pct(0.99), latencies.empty() ? 0.0 : latencies.back());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: see the comment at the top of bench/handshake_client.cpp\n");
    return 2;
  }
  const std::string mode = argv[1];
  const Target target{argv[2], static_cast<std::uint16_t>(std::atoi(argv[3]))};
  const Names names = parse_names(argv[4]);
  SSL_CTX* ctx = context();
  if ((mode == "load" || mode == "hello") && argc >= 8) {
    const bool hello = mode == "hello";
    const int threads = std::atoi(argv[5]);
    const double seconds = std::atof(argv[6]);
    const long max = std::atol(argv[7]);
    std::atomic<long> next{0}, ok{0}, failed{0};
    std::mutex mutex;
    std::vector<double> latencies;
    const auto start = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        std::vector<double> mine;
        while (ms_since(start) < seconds * 1000) {
          const long i = next++;
          if (i >= max) break;
          const auto t0 = Clock::now();
          if (handshake(ctx, target, names.at(i), hello)) {
            ++ok;
            mine.push_back(ms_since(t0));
          } else {
            ++failed;
          }
        }
        const std::lock_guard lock(mutex);
        latencies.insert(latencies.end(), mine.begin(), mine.end());
      });
    }
    for (auto& t : pool) t.join();
    print(ok, failed, ms_since(start) / 1000, latencies);
  } else if (mode == "probe" && argc >= 8) {
    const double seconds = std::atof(argv[5]);
    const long max = std::atol(argv[6]);
    const int gap = std::atoi(argv[7]);
    long ok = 0, failed = 0;
    std::vector<double> latencies;
    const auto start = Clock::now();
    for (long i = 0; i < max && ms_since(start) < seconds * 1000; ++i) {
      const auto t0 = Clock::now();
      if (handshake(ctx, target, names.at(0))) {
        ++ok;
        latencies.push_back(ms_since(t0));
      } else {
        ++failed;
      }
      if (gap > 0) std::this_thread::sleep_for(std::chrono::milliseconds(gap));
    }
    print(ok, failed, ms_since(start) / 1000, latencies);
  } else if (mode == "hold" && argc >= 8) {
    const long count = std::atol(argv[5]);
    const std::string kind = argv[6];
    const double seconds = std::atof(argv[7]);
    std::vector<int> fds(static_cast<std::size_t>(count), -1);
    std::vector<std::thread> pool;
    constexpr int kThreads = 4;
    for (int t = 0; t < kThreads; ++t) {
      pool.emplace_back([&, t] {
        for (long i = t; i < count; i += kThreads) {
          fds[static_cast<std::size_t>(i)] = kind == "tcp"  ? connect_to(target)
                                             : kind == "h2" ? idle_after_h2_request(ctx, target, names.at(0))
                                                            : idle_after_request(ctx, target, names.at(0));
        }
      });
    }
    for (auto& th : pool) th.join();
    const long open = std::count_if(fds.begin(), fds.end(), [](int fd) { return fd >= 0; });
    std::printf("{\"open\": %ld, \"failed\": %ld}\n", open, count - open);
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    for (int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
  } else if (mode == "warm") {
    long ok = 0, failed = 0;
    const auto start = Clock::now();
    for (long i = 0; i < names.count; ++i) (handshake(ctx, target, names.at(i)) ? ok : failed)++;
    print(ok, failed, ms_since(start) / 1000, {});
  } else if (mode == "first" && argc >= 7) {
    const long long since = std::atoll(argv[5]);
    const double timeout = std::atof(argv[6]);
    const auto start = Clock::now();
    while (ms_since(start) < timeout * 1000) {
      if (handshake(ctx, target, names.at(0))) {
        timespec now{};
        clock_gettime(CLOCK_REALTIME, &now);
        const long long ns = static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec;
        std::printf("{\"first_handshake_ms\": %.1f}\n", static_cast<double>(ns - since) / 1e6);
        return 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::printf("{\"first_handshake_ms\": null}\n");
    return 1;
  } else {
    std::fprintf(stderr, "unknown mode or missing arguments\n");
    return 2;
  }
  SSL_CTX_free(ctx);
  return 0;
}
