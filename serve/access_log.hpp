#pragma once
// The access log: one line per request (time, client, SNI, the binding that served, certificate thumbprint, host,
// method, path, the client's protocol, status, bytes in and out, web worker, durations), as text or as one JSON object
// per line, to a file or to standard error. I/O threads only queue the line; a thread of its own writes it, so that a
// slow disk never stalls a connection, and reopens the file on SIGHUP (logrotate's postrotate).
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace sslbind::serve {

struct AccessRecord {
  std::string client;  // "203.0.113.7:51234"
  std::string sni;
  std::string binding;     // "hostnameport=www.contoso.com:443"
  std::string thumbprint;  // of the certificate that served
  std::string host;
  std::string method;
  std::string target;
  std::string_view protocol = "HTTP/1.1";  // the client's: "HTTP/1.1" or "HTTP/2" (a literal)
  int status = 0;
  std::uint64_t bytes_in = 0;    // request head and body as received
  std::uint64_t bytes_out = 0;   // response head and body as sent
  std::string server;            // the web worker, or "-" for an answer of the front end's own
  std::int64_t total_ms = 0;     // from the request's first byte to its response's last
  std::int64_t backend_ms = -1;  // from sending the head to the response head; -1: none
};

class AccessLog {
 public:
  // `path` "stderr" writes to standard error.
  AccessLog(std::string path, bool json);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void record(const AccessRecord& r);  // from any thread; never blocks on the disk
  void reopen();                       // SIGHUP
  std::string format(const AccessRecord& r) const;

 private:
  void run();

  std::string path_;
  bool json_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> lines_;
  bool reopen_ = true;
  bool stop_ = false;
  int fd_ = -1;
  std::thread writer_;
};

}  // namespace sslbind::serve
