#pragma once
// Active health checks of the web farms that have a healthcheck= path: every healthinterval seconds each server is
// asked "GET <path>" (2 s to connect and 2 s to answer); a status in healthstatus brings it up at once, anything else
// (or no answer) keeps it down until a check passes. On a thread of its own, so that a slow web worker never stalls
// an I/O thread; the verdicts go to BackendHealth, which the I/O threads read.
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "serve/backend_health.hpp"
#include "serve/snapshot.hpp"

namespace sslbind::serve {

class HealthChecker {
 public:
  explicit HealthChecker(BackendHealth& health);
  ~HealthChecker();
  HealthChecker(const HealthChecker&) = delete;
  HealthChecker& operator=(const HealthChecker&) = delete;

  void use(std::shared_ptr<const Snapshot> snapshot);  // the farms to check from now on

 private:
  void run();

  BackendHealth& health_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::shared_ptr<const Snapshot> snapshot_;
  bool stop_ = false;
  std::map<std::string, std::int64_t> next_check_ms_;  // per "farm/server"
  std::thread thread_;
};

// One check: true when `address` answers GET `path` (Host: `host`) with a status `accepts` takes, within the time.
bool probe(const IpPort& address, const std::string& host, const std::string& path, const HealthStatus& accepts);

}  // namespace sslbind::serve
