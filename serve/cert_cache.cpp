#include "serve/cert_cache.hpp"

#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace sslbind::serve {

CertSource CertSource::store(std::string_view store_name, std::string_view thumbprint_hex) {
  return {Kind::Store, text::to_lower(store_name) + "/" + std::string(thumbprint_hex)};
}

std::string CertSource::str() const { return std::string(group()) + "/" + name; }

CertCache::CertCache(LoaderPool& loaders, CacheLimits limits) : loaders_(loaders), limits_(limits) {}

void CertCache::touch(Entry& e, Clock::time_point now) {
  e.last_used = now;
  ++e.hits;
  lru_.splice(lru_.begin(), lru_, e.lru);
}

void CertCache::erase(std::unordered_map<std::string, Entry>::iterator it) {
  if (it->second.objects) bytes_ -= it->second.objects->bytes();
  lru_.erase(it->second.lru);
  entries_.erase(it);
}

CertCache::Found CertCache::get(const CertSource& from, const Load& load, Resume resume) {
  const auto now = Clock::now();
  const std::string source = from.str();
  {
    const std::lock_guard lock(mutex_);
    if (const auto it = entries_.find(source); it != entries_.end()) {
      Entry& e = it->second;
      if (e.objects) {
        ++hits_;
        touch(e, now);
        return {Found::State::Ready, e.objects, ""};
      }
      if (now < e.expires) {
        ++hits_;
        touch(e, now);
        return {Found::State::Unusable, nullptr, e.problem, e.missing};
      }
      erase(it);  // a negative entry that expired: load again
    }
    ++misses_;
    if (const auto p = pending_.find(source); p != pending_.end()) {
      if (p->second.waiters.size() >= limits_.max_waiters) {
        ++refused_;
        return {Found::State::Unusable, nullptr, "too many handshakes wait for " + source};
      }
      p->second.waiters.push_back(std::move(resume));
      return {};
    }
    pending_[source].waiters.push_back(std::move(resume));
  }
  const bool queued = loaders_.submit(
      {[this, from, load]() -> LoaderPool::Delivery {
         auto loaded = load();
         return [this, from, loaded = std::move(loaded)] { finish(from, loaded); };
       },
       std::string(from.group()),
       [this, from, source] {
         abandoned_log_.event();
         finish(from, Error(ErrorCode::SourceUnavailable, source + " was not loaded in time (a hung share or disk?)"));
       },
       true});  // a load only reads and parses: a starved one may be run again by the rescuer
  if (!queued) {
    // The loaders are saturated: this source fails now, and is not remembered, so that it is tried again later.
    std::vector<Resume> waiters;
    {
      const std::lock_guard lock(mutex_);
      ++refused_;
      waiters = std::move(pending_[source].waiters);
      pending_.erase(source);
    }
    // The first waiter is this caller, answered by the return value; others that joined meanwhile try again.
    for (std::size_t i = 1; i < waiters.size(); ++i) waiters[i]();
    return {Found::State::Unusable, nullptr, "the certificate loaders are saturated"};
  }
  return {};
}

void CertCache::finish(const CertSource& from, Result<std::shared_ptr<const CertObjects>> loaded) {
  const std::string source = from.str();
  std::vector<Resume> waiters;
  {
    const std::lock_guard lock(mutex_);
    ++loads_;
    const auto now = Clock::now();
    lru_.push_front(source);
    Entry e{from, nullptr, "", false, now + limits_.negative, now, 0, lru_.begin()};
    if (loaded) {
      e.objects = std::move(*loaded);
      bytes_ += e.objects->bytes();
    } else {
      ++failures_;
      e.problem = loaded.error().detail;
      e.missing = loaded.error().code == ErrorCode::NotFound;
    }
    if (const auto old = entries_.find(source); old != entries_.end()) erase(old);
    entries_.emplace(source, std::move(e));
    if (const auto p = pending_.find(source); p != pending_.end()) {
      waiters = std::move(p->second.waiters);
      pending_.erase(p);
    }
  }
  for (auto& w : waiters) w();
}

void CertCache::forget(const CertSource& source) {
  const std::lock_guard lock(mutex_);
  if (const auto it = entries_.find(source.str()); it != entries_.end()) erase(it);
}

void CertCache::forget_negative() {
  const std::lock_guard lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    auto next = std::next(it);
    if (!it->second.objects) erase(it);
    it = next;
  }
}

std::size_t CertCache::evict(Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  std::size_t gone = 0;
  // From the least recently used end: idle ones, then any while over a limit.
  while (!lru_.empty()) {
    const auto it = entries_.find(lru_.back());
    const Entry& e = it->second;
    const bool idle = now - e.last_used > limits_.idle || (!e.objects && now >= e.expires);
    const bool over = entries_.size() > limits_.max_entries || bytes_ > limits_.max_bytes;
    if (!idle && !over) break;
    erase(it);
    ++gone;
  }
  evictions_ += gone;
  return gone;
}

std::vector<std::pair<CertSource, std::shared_ptr<const CertObjects>>> CertCache::entries(CertSource::Kind kind) const {
  const std::lock_guard lock(mutex_);
  std::vector<std::pair<CertSource, std::shared_ptr<const CertObjects>>> out;
  for (const auto& [key, e] : entries_) {
    if (e.source.kind == kind) out.emplace_back(e.source, e.objects);
  }
  return out;
}

nlohmann::json CertCache::status(std::int64_t now_unix) const {
  const std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  nlohmann::json entries = nlohmann::json::array();
  for (const std::string& source : lru_) {
    const Entry& e = entries_.at(source);
    nlohmann::json j = {{"source", source},
                        {"hits", e.hits},
                        {"idleSeconds", std::chrono::duration_cast<std::chrono::seconds>(now - e.last_used).count()}};
    if (e.objects) {
      j["certhash"] = e.objects->thumbprint();
      j["bytes"] = e.objects->bytes();
      j["notAfter"] = e.objects->not_after();
      j["expired"] = e.objects->not_after() < now_unix;
    } else {
      j["error"] = e.problem;
    }
    entries.push_back(std::move(j));
  }
  return {{"entries", entries_.size()},
          {"bytes", bytes_},
          {"loading", pending_.size()},
          {"hits", hits_},
          {"misses", misses_},
          {"loads", loads_},
          {"loadFailures", failures_},
          {"evictions", evictions_},
          {"refused", refused_},
          {"abandoned", loaders_.abandoned()},
          {"rescued", loaders_.rescued()},
          {"maxEntries", limits_.max_entries},
          {"maxBytes", limits_.max_bytes},
          {"certificates", entries}};
}

}  // namespace sslbind::serve
