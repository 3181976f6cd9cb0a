#include "serve/crl_cache.hpp"

#include <openssl/evp.h>
#include <openssl/http.h>
#include <openssl/pem.h>

#include <sys/stat.h>

#include <algorithm>
#include <ctime>

#include "store/atomic_file.hpp"

namespace sslbind::serve {
namespace {

constexpr std::size_t kMaxCrlBytes = 16 * 1024 * 1024;
constexpr std::int64_t kRetryAfterFailure = 10;    // seconds: a dead location is asked once in this time
constexpr std::int64_t kEvictAfter = 3600;         // seconds unused
constexpr std::size_t kMaxWaiters = 1000;          // connections waiting for one CRL
constexpr std::uint32_t kDefaultTimeoutMs = 4000;  // Schannel waits 15 s; the loaders' deadline is 5 s

struct BioFree {
  void operator()(BIO* b) const { BIO_free_all(b); }
};

std::int64_t asn1_time_unix(const ASN1_TIME* t) {
  if (t == nullptr) return 0;
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&tm));
}

// The file a URL's CRL is kept in: its SHA-256, so that no URL can name a path.
std::filesystem::path file_for(const std::filesystem::path& folder, const std::string& url) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(url.data(), url.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name;
  for (unsigned int i = 0; i < size; ++i) {
    name += kHex[digest[i] >> 4];
    name += kHex[digest[i] & 15];
  }
  return folder / (name + ".crl");
}

std::int64_t file_time(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return 0;
  return static_cast<std::int64_t>(st.st_mtime);
}

}  // namespace

struct CrlCache::Outcome {
  Crl crl;
  std::int64_t fetched_at = 0;  // with a CRL: when it was fetched; without: when the load was asked for
  std::string problem;
  bool fetched = false;
};

int crl_fetch_seconds(const CrlPolicy& policy) {
  const std::uint32_t ms = policy.timeout_ms == 0 ? kDefaultTimeoutMs : std::min(policy.timeout_ms, kDefaultTimeoutMs);
  return static_cast<int>(std::max<std::uint32_t>(1, (ms + 999) / 1000));
}

CrlCache::CrlCache(LoaderPool& loaders, std::filesystem::path folder, Fetch fetch)
    : loaders_(loaders), folder_(std::move(folder)), fetch_(std::move(fetch)) {}

CrlCache::Crl CrlCache::parse(const std::string& bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  X509_CRL* crl = d2i_X509_CRL(nullptr, &p, static_cast<long>(bytes.size()));
  if (crl == nullptr) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    if (bio) crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr);
  }
  if (crl == nullptr) return nullptr;
  return Crl(crl, X509_CRL_free);
}

Result<std::string> CrlCache::fetch_http(const std::string& url, int seconds) {
  std::unique_ptr<BIO, BioFree> answer(OSSL_HTTP_get(url.c_str(), nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                                                     0, nullptr, nullptr, 1, kMaxCrlBytes, seconds));
  if (!answer) return invalid("the CRL at " + url + " could not be fetched within " + std::to_string(seconds) + " s");
  std::string out;
  char buffer[16384];
  int n = 0;
  while ((n = BIO_read(answer.get(), buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<std::size_t>(n));
  if (out.empty()) return invalid("the CRL location " + url + " answered with nothing");
  return out;
}

bool CrlCache::usable(const Entry& e, const CrlPolicy& policy, std::int64_t now) const {
  if (!e.crl) return false;
  if (policy.cached_only) return true;  // whatever it says, OpenSSL then judges its dates
  if (e.next_update != 0 && now >= e.next_update) return false;
  return policy.freshness_seconds == 0 || now - e.fetched_at < policy.freshness_seconds;
}

CrlCache::Found CrlCache::get(const std::string& url, const CrlPolicy& policy, Resume resume, std::int64_t now) {
  std::lock_guard lock(mutex_);
  Entry& e = entries_[url];
  e.last_used = now;
  if (usable(e, policy, now)) return {Found::State::Ready, e.crl};
  const bool still_valid = e.crl && (e.next_update == 0 || now < e.next_update);
  if (!e.in_flight) {
    const bool failed_lately = e.failed_at != 0 && now - e.failed_at < kRetryAfterFailure;
    // After a failed fetch, a CRL that is only older than the freshness time still serves until the next try.
    if (failed_lately) return still_valid ? Found{Found::State::Ready, e.crl} : Found{};
    if (policy.cached_only && !e.read_disk) return e.crl ? Found{Found::State::Ready, e.crl} : Found{};
    load(url, e, policy, now);
    if (!e.in_flight) return still_valid ? Found{Found::State::Ready, e.crl} : Found{};  // the queue was full
  }
  if (e.waiters.size() >= kMaxWaiters) return {};
  e.waiters.push_back(std::move(resume));
  return {Found::State::Loading, nullptr};
}

void CrlCache::load(const std::string& url, Entry& e, const CrlPolicy& policy, std::int64_t now) {
  e.in_flight = true;
  const bool read_disk = e.read_disk;
  e.read_disk = false;
  const std::filesystem::path file = file_for(folder_, url);
  const CrlPolicy wanted = policy;
  LoaderPool::Task task;
  task.group = "crl";
  task.job = [this, url, file, read_disk, wanted, now, fetch = fetch_]() -> LoaderPool::Delivery {
    Outcome out;
    if (read_disk) {
      auto saved = store::read_whole_file(file, kMaxCrlBytes);
      if (saved && saved->exists) {
        Entry disk;
        disk.crl = parse(saved->text);
        disk.fetched_at = file_time(file);
        disk.next_update = disk.crl ? asn1_time_unix(X509_CRL_get0_nextUpdate(disk.crl.get())) : 0;
        if (usable(disk, wanted, now)) {
          out.crl = std::move(disk.crl);
          out.fetched_at = disk.fetched_at;
          return [this, url, out] { deliver(url, out); };
        }
      }
    }
    out.fetched_at = now;
    if (wanted.cached_only) {
      out.problem = "no CRL of " + url + " is cached, and the binding allows only cached ones";
      return [this, url, out] { deliver(url, out); };
    }
    out.fetched = true;
    auto bytes = fetch(url, crl_fetch_seconds(wanted));
    if (!bytes) {
      out.problem = bytes.error().detail;
      return [this, url, out] { deliver(url, out); };
    }
    out.crl = parse(*bytes);
    if (!out.crl) {
      out.problem = "what " + url + " answered is not a CRL";
      return [this, url, out] { deliver(url, out); };
    }
    // Its signature and dates are judged with the chain that needs it; a CRL that cannot be saved still serves.
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    unsigned char* der = nullptr;
    const int size = i2d_X509_CRL(out.crl.get(), &der);
    if (size > 0) {
      (void)store::replace_file(file, std::string_view(reinterpret_cast<char*>(der), static_cast<std::size_t>(size)),
                                0644);
      OPENSSL_free(der);
    }
    return [this, url, out] { deliver(url, out); };
  };
  task.abandoned = [this, url, now] {
    deliver(url, Outcome{nullptr, now, "the CRL fetch passed the loaders' deadline", true});
  };
  if (!loaders_.submit(std::move(task))) {
    e.in_flight = false;
    e.problem = "the loader queue is full";
  }
}

void CrlCache::deliver(const std::string& url, Outcome outcome) {
  std::vector<Resume> waiters;
  {
    std::lock_guard lock(mutex_);
    Entry& e = entries_[url];
    e.in_flight = false;
    if (outcome.fetched) ++e.fetches;
    if (outcome.crl) {
      e.crl = std::move(outcome.crl);
      e.fetched_at = outcome.fetched_at;
      e.next_update = asn1_time_unix(X509_CRL_get0_nextUpdate(e.crl.get()));
      e.failed_at = 0;
      e.problem.clear();
    } else {
      ++e.failures;
      e.failed_at = outcome.fetched_at;  // when it was asked for
      e.problem = std::move(outcome.problem);
    }
    waiters.swap(e.waiters);
  }
  for (Resume& resume : waiters) resume();
}

void CrlCache::evict(std::int64_t now) {
  std::lock_guard lock(mutex_);
  std::erase_if(entries_, [now](const auto& item) {
    const Entry& e = item.second;
    return !e.in_flight && now - e.last_used > kEvictAfter;
  });
}

nlohmann::json CrlCache::status() const {
  std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [url, e] : entries_) {
    nlohmann::json entry{{"url", url}, {"loaded", e.crl != nullptr}, {"fetches", e.fetches}, {"failures", e.failures}};
    if (e.crl) {
      entry["fetchedAt"] = e.fetched_at;
      entry["nextUpdate"] = e.next_update;
      const STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(e.crl.get());
      entry["revoked"] = revoked == nullptr ? 0 : sk_X509_REVOKED_num(revoked);
    }
    if (!e.problem.empty()) entry["problem"] = e.problem;
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace sslbind::serve
