#pragma once
// The certificates the front end has loaded, by source (a store entry, a CCS file), shared by all
// I/O threads. A miss starts one load per source on a loader thread (single flight: later misses wait for the same
// load) and the asking handshake is resumed when it ends. A source that cannot be served is remembered for a short
// while (a negative entry), so that a scanner asking for it again costs a hash lookup. The cache is bounded by entry
// count and bytes, and entries unused for a while are evicted; a connection keeps the objects it holds alive.
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "serve/cert_objects.hpp"
#include "serve/loader_pool.hpp"
#include "serve/log.hpp"

namespace sslbind::serve {

// Where a cached certificate comes from: a store entry or a CCS file.
struct CertSource {
  enum class Kind { Store, Ccs };
  Kind kind = Kind::Store;
  std::string name;  // Store: "<store in lower case>/<thumbprint>"; Ccs: the file name in the folder

  static CertSource store(std::string_view store_name, std::string_view thumbprint_hex);
  static CertSource ccs_file(std::string file) { return {Kind::Ccs, std::move(file)}; }
  // "store/my/<thumbprint>", "ccs/www.contoso.com.pfx": the status document's spelling, and the cache's key.
  std::string str() const;
  // The loader group: one slow share or disk holds at most its group's loaders.
  std::string_view group() const { return kind == Kind::Ccs ? "ccs" : "store"; }
};

struct CacheLimits {
  std::size_t max_entries = 100'000;
  std::size_t max_bytes = std::size_t{1} << 30;
  std::chrono::seconds idle{3600};    // unused this long: evicted
  std::chrono::seconds negative{10};  // a failed load is retried after this
  std::size_t max_waiters = 1000;     // handshakes waiting for one load
};

class CertCache {
 public:
  using Clock = std::chrono::steady_clock;
  // Runs on a loader thread; reads and decodes the certificate.
  using Load = std::function<Result<std::shared_ptr<const CertObjects>>()>;
  // Called on the loader thread when the load ends; it must only post to the waiting connection's own loop.
  using Resume = std::function<void()>;

  struct Found {
    enum class State { Ready, Unusable, Loading } state = State::Loading;
    std::shared_ptr<const CertObjects> objects;  // Ready
    std::string problem;                         // Unusable
    bool missing = false;                        // Unusable because the store or folder does not hold it
  };

  CertCache(LoaderPool& loaders, CacheLimits limits);

  // Never blocks on I/O. Loading: `resume` will be called once the load ends (or at once, if it could not start).
  Found get(const CertSource& source, const Load& load, Resume resume);
  // Forgets a source (its file changed); a load in flight finishes as it is.
  void forget(const CertSource& source);
  void forget_negative();
  // Evicts idle entries and, beyond the limits, the least recently used ones. Returns how many went.
  std::size_t evict(Clock::time_point now);
  // The entries of one kind, with their objects (null for a source that cannot be served).
  std::vector<std::pair<CertSource, std::shared_ptr<const CertObjects>>> entries(CertSource::Kind kind) const;
  nlohmann::json status(std::int64_t now_unix) const;

 private:
  struct Entry {
    CertSource source;
    std::shared_ptr<const CertObjects> objects;
    std::string problem;
    bool missing = false;
    Clock::time_point expires;  // negative entries only
    Clock::time_point last_used;
    std::uint64_t hits = 0;
    std::list<std::string>::iterator lru;
  };
  struct Pending {
    std::vector<Resume> waiters;
  };

  void finish(const CertSource& source, Result<std::shared_ptr<const CertObjects>> loaded);
  void touch(Entry& e, Clock::time_point now);
  void erase(std::unordered_map<std::string, Entry>::iterator it);

  LoaderPool& loaders_;
  CacheLimits limits_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::unordered_map<std::string, Pending> pending_;
  std::list<std::string> lru_;  // most recent first
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0, misses_ = 0, loads_ = 0, failures_ = 0, evictions_ = 0, refused_ = 0;
  BurstLog abandoned_log_{Level::Warning,
                          "a certificate load passed its deadline and was abandoned (a hung share or "
                          "disk?); its handshakes failed"};
};

}  // namespace sslbind::serve
