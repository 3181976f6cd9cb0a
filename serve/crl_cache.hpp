#pragma once
// The CRLs that client certificates name (their CRL distribution points), by URL, shared by all I/O threads: fetched
// on loader threads within the binding's urlretrievaltimeout and kept on disk beside the registry (<root>/crl), so
// that a restart, and verifyrevocationwithcachedclientcertonly, have them. A CRL is used until its nextUpdate, or,
// when the binding sets revocationfreshnesstime, until it is that old (HTTP.SYS's freshness time); then it is fetched
// again and the connection that needs it waits, as Schannel's chain engine waits. A failed fetch is remembered for a
// short while, so a flood of connections naming a dead location fetches once.
#include <openssl/x509.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "serve/loader_pool.hpp"

namespace sslbind::serve {

struct CrlPolicy {
  bool cached_only = false;            // verifyrevocationwithcachedclientcertonly: never fetched for this binding
  std::int64_t freshness_seconds = 0;  // revocationfreshnesstime when enabled; 0: until the CRL's nextUpdate
  std::uint32_t timeout_ms = 0;        // urlretrievaltimeout; 0: the default
};

// The seconds a fetch may take for `policy`: its urlretrievaltimeout rounded up, within what the loaders allow.
int crl_fetch_seconds(const CrlPolicy& policy);

class CrlCache {
 public:
  using Crl = std::shared_ptr<X509_CRL>;
  // Runs on a loader thread: the CRL at `url` as DER (or PEM), within `seconds`.
  using Fetch = std::function<Result<std::string>(const std::string& url, int seconds)>;
  using Resume = std::function<void()>;

  struct Found {
    enum class State { Ready, Missing, Loading } state = State::Missing;
    Crl crl;  // Ready
  };

  CrlCache(LoaderPool& loaders, std::filesystem::path folder, Fetch fetch);
  CrlCache(const CrlCache&) = delete;
  CrlCache& operator=(const CrlCache&) = delete;

  // Never blocks on I/O. Loading: `resume` is called (on the delivery thread) once the load ends.
  Found get(const std::string& url, const CrlPolicy& policy, Resume resume, std::int64_t now);
  // Forgets the CRLs nobody asked for in an hour.
  void evict(std::int64_t now);
  nlohmann::json status() const;

  // The CRL at an http URL (OpenSSL's HTTP client), at most 16 MiB.
  static Result<std::string> fetch_http(const std::string& url, int seconds);
  // DER or PEM; null when it is neither.
  static Crl parse(const std::string& bytes);

 private:
  struct Entry {
    Crl crl;
    std::int64_t fetched_at = 0;   // when it was fetched (for a CRL read from disk: the file's time)
    std::int64_t next_update = 0;  // 0: the CRL names none
    std::int64_t failed_at = 0;
    std::int64_t last_used = 0;
    std::string problem;
    bool in_flight = false;
    bool read_disk = true;
    std::uint64_t fetches = 0, failures = 0;
    std::vector<Resume> waiters;
  };
  struct Outcome;
  bool usable(const Entry& e, const CrlPolicy& policy, std::int64_t now) const;
  void load(const std::string& url, Entry& e, const CrlPolicy& policy, std::int64_t now);  // lock held
  void deliver(const std::string& url, Outcome outcome);

  LoaderPool& loaders_;
  std::filesystem::path folder_;
  Fetch fetch_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace sslbind::serve
