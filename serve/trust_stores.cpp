#include "serve/trust_stores.hpp"

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "core/text.hpp"

namespace sslbind::serve {
namespace {

constexpr std::size_t kMaxWaiters = 1000;

struct Loaded {
  TrustStores::Store store;
  std::size_t certificates = 0;
  std::string problem;
};

}  // namespace

TrustStores::TrustStores(LoaderPool& loaders, Read read) : loaders_(loaders), read_(std::move(read)) {}

TrustStores::Store TrustStores::make_store(const std::vector<std::string>& pems, std::size_t& skipped) {
  Store store(X509_STORE_new(), X509_STORE_free);
  skipped = 0;
  if (!store) return nullptr;
  X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
  for (const std::string& pem : pems) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509* cert = bio == nullptr ? nullptr : PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (cert == nullptr || X509_STORE_add_cert(store.get(), cert) != 1) ++skipped;
    X509_free(cert);
  }
  return store;
}

TrustStores::Store TrustStores::get(std::string_view name, Resume resume, std::int64_t now) {
  const std::string key = text::to_lower(name);
  std::lock_guard lock(mutex_);
  Entry& e = entries_[key];
  if (e.spelling.empty()) e.spelling = std::string(name);
  if (e.store) {
    if (!e.in_flight && now - e.loaded_at >= kRefreshSeconds) load(key, e, now);  // the old list serves meanwhile
    return e.store;
  }
  if (!e.in_flight) load(key, e, now);
  if (!e.in_flight) {
    // The queue is full: judged against an empty list (untrusted) rather than held.
    std::size_t skipped = 0;
    return make_store({}, skipped);
  }
  if (e.waiters.size() >= kMaxWaiters) {
    std::size_t skipped = 0;
    return make_store({}, skipped);
  }
  e.waiters.push_back(std::move(resume));
  return nullptr;
}

void TrustStores::load(const std::string& key, Entry& e, std::int64_t now) {
  e.in_flight = true;
  auto deliver = [this, key, now](Loaded loaded) {
    std::vector<Resume> waiters;
    {
      std::lock_guard lock(mutex_);
      Entry& entry = entries_[key];
      entry.in_flight = false;
      entry.loaded_at = now;
      if (loaded.store) {
        entry.store = std::move(loaded.store);
        entry.certificates = loaded.certificates;
      }
      entry.problem = std::move(loaded.problem);
      if (!entry.store) {  // a store that cannot be read trusts nothing
        std::size_t skipped = 0;
        entry.store = make_store({}, skipped);
      }
      waiters.swap(entry.waiters);
    }
    for (Resume& resume : waiters) resume();
  };
  LoaderPool::Task task;
  task.group = "store";
  task.job = [read = read_, spelling = e.spelling, deliver]() -> LoaderPool::Delivery {
    Loaded out;
    auto pems = read(spelling);
    if (!pems) {
      out.problem = pems.error().detail;
      return [deliver, out] { deliver(out); };
    }
    std::size_t skipped = 0;
    out.store = make_store(*pems, skipped);
    out.certificates = pems->size() - skipped;
    if (pems->empty())
      out.problem = "the store " + spelling + " holds no certificate: no client certificate is trusted";
    return [deliver, out] { deliver(out); };
  };
  task.abandoned = [deliver] { deliver(Loaded{nullptr, 0, "reading the store passed the loaders' deadline"}); };
  if (!loaders_.submit(std::move(task))) e.in_flight = false;
}

void TrustStores::refused(const std::string& subject, const std::string& binding, const std::string& problem) {
  std::lock_guard lock(mutex_);
  ++refusals_;
  last_refusal_ = {{"subject", subject}, {"binding", binding}, {"problem", problem}};
}

nlohmann::json TrustStores::status() const {
  std::lock_guard lock(mutex_);
  nlohmann::json lists = nlohmann::json::array();
  for (const auto& [key, e] : entries_) {
    nlohmann::json entry{{"store", e.spelling}, {"certificates", e.certificates}, {"loadedAt", e.loaded_at}};
    if (!e.problem.empty()) entry["problem"] = e.problem;
    lists.push_back(std::move(entry));
  }
  nlohmann::json out{{"trustedLists", std::move(lists)}, {"refused", refusals_}};
  if (!last_refusal_.is_null()) out["lastRefused"] = last_refusal_;
  return out;
}

}  // namespace sslbind::serve
