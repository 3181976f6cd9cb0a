#include "serve/ocsp_stapler.hpp"

#include <algorithm>
#include <ctime>
#include <mutex>

#include "store/atomic_file.hpp"
#include "store/ocsp_fields.hpp"

namespace sslbind::serve {
namespace {

constexpr int kFetchTimeoutSeconds = 4;    // within the loader pool's 5 s deadline
constexpr std::int64_t kMinRefresh = 300;  // HAProxy's ocsp-update.mindelay
constexpr std::int64_t kMaxRefresh = 3600;
constexpr std::int64_t kRetryAfterFailure = 60;
constexpr std::size_t kMaxSavedResponse = 64 * 1024;

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

// When to ask again: at half the response's validity, between 5 minutes and an hour from now, and before it ends.
std::int64_t refresh_at(const OcspValidity& v, std::int64_t now) {
  const std::int64_t half = std::clamp((v.next_update - v.this_update) / 2, kMinRefresh, kMaxRefresh);
  return std::max(now + 1, std::min(now + half, v.next_update - 60));
}

struct Outcome {
  std::shared_ptr<const std::string> response;
  OcspValidity validity;
  std::string problem;
  bool fetched = false;
};

}  // namespace

OcspStapler::OcspStapler(LoaderPool& loaders, std::filesystem::path folder)
    : loaders_(loaders), folder_(std::move(folder)) {}

std::shared_ptr<const std::string> OcspStapler::staple(const std::shared_ptr<const CertObjects>& objects) {
  const std::int64_t now = unix_now();
  {
    std::shared_lock lock(mutex_);
    const auto it = entries_.find(objects->thumbprint());
    if (it != entries_.end()) {
      const Entry& e = it->second;
      const bool current = e.response && e.validity.this_update <= now + 300 && now < e.validity.next_update;
      return current ? e.response : nullptr;
    }
  }
  std::unique_lock lock(mutex_);
  if (entries_.contains(objects->thumbprint())) return nullptr;  // another thread came first
  Entry& e = entries_[objects->thumbprint()];
  X509* cert = objects->certificate();
  X509* issuer = issuer_in(cert, objects->chain());
  const auto responder = store::ocsp_responder(cert);
  // Most certificates now carry no responder (Let's Encrypt dropped OCSP in 2025): nothing to staple, nothing logged.
  if (!responder) {
    e.problem = "the certificate names no OCSP responder";
    return nullptr;
  }
  e.responder = *responder;
  if (issuer == nullptr) {
    e.problem = "the certificate's issuer is not in its chain: an OCSP request needs it";
    return nullptr;
  }
  X509_up_ref(cert);
  X509_up_ref(issuer);
  e.cert.reset(cert);
  e.issuer.reset(issuer);
  ask(objects->thumbprint(), e, now);
  return nullptr;
}

void OcspStapler::ask(const std::string& thumbprint, Entry& e, std::int64_t now) {
  e.in_flight = true;
  e.next_attempt = now + kRetryAfterFailure;
  const bool read_disk = e.read_disk;
  e.read_disk = false;
  X509* cert = e.cert.get();
  X509* issuer = e.issuer.get();
  X509_up_ref(cert);
  X509_up_ref(issuer);
  auto held = std::make_shared<std::pair<Cert, Cert>>(Cert(cert), Cert(issuer));
  const std::filesystem::path file = folder_ / (thumbprint + ".der");
  const std::string responder = e.responder;
  auto deliver = [this, thumbprint](Outcome out) {
    std::unique_lock lock(mutex_);
    const auto it = entries_.find(thumbprint);
    if (it == entries_.end()) return;
    Entry& entry = it->second;
    entry.in_flight = false;
    const std::int64_t delivered = unix_now();
    if (out.fetched) ++entry.fetches;
    if (out.response) {
      entry.response = std::move(out.response);
      entry.validity = out.validity;
      entry.problem.clear();
      entry.next_attempt = refresh_at(out.validity, delivered);
    } else {
      ++entry.failures;
      entry.problem = out.problem;
      entry.next_attempt = delivered + kRetryAfterFailure;
    }
  };
  LoaderPool::Task task;
  task.group = "ocsp";
  task.job = [held, file, responder, read_disk, deliver]() -> LoaderPool::Delivery {
    Outcome out;
    const std::int64_t started = unix_now();
    if (read_disk) {
      auto saved = store::read_whole_file(file, kMaxSavedResponse);
      if (saved && saved->exists) {
        if (auto v = check_ocsp_response(saved->text, held->first.get(), held->second.get(), started)) {
          out.response = std::make_shared<const std::string>(std::move(saved->text));
          out.validity = *v;
          return [deliver, out] { deliver(out); };
        }
      }
    }
    out.fetched = true;
    auto request = ocsp_request(held->first.get(), held->second.get());
    auto answer =
        request ? fetch_ocsp_response(responder, *request, kFetchTimeoutSeconds) : Result<std::string>(request.error());
    if (!answer) {
      out.problem = answer.error().detail;
      return [deliver, out] { deliver(out); };
    }
    auto valid = check_ocsp_response(*answer, held->first.get(), held->second.get(), started);
    if (!valid) {
      out.problem = valid.error().detail;  // never stapled: badly signed, revoked, stale or outliving the certificate
      return [deliver, out] { deliver(out); };
    }
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    (void)store::replace_file(file, *answer, 0644);  // a response that cannot be saved still staples
    out.response = std::make_shared<const std::string>(std::move(*answer));
    out.validity = *valid;
    return [deliver, out] { deliver(out); };
  };
  task.abandoned = [deliver] { deliver(Outcome{nullptr, {}, "the OCSP fetch passed the loaders' deadline", true}); };
  if (!loaders_.submit(std::move(task))) {
    e.in_flight = false;
    e.problem = "the loader queue is full";
  }
}

void OcspStapler::refresh(std::int64_t now) {
  std::unique_lock lock(mutex_);
  for (auto& [thumbprint, e] : entries_) {
    if (e.cert && !e.in_flight && e.next_attempt <= now) ask(thumbprint, e, now);
  }
}

nlohmann::json OcspStapler::status(std::int64_t now) const {
  std::shared_lock lock(mutex_);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [thumbprint, e] : entries_) {
    const bool stapled = e.response && now < e.validity.next_update;
    nlohmann::json j = {{"certhash", thumbprint},
                        {"responder", e.responder.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.responder)},
                        {"stapled", stapled},
                        {"fetches", e.fetches},
                        {"failures", e.failures}};
    if (e.response) {
      j["thisUpdate"] = e.validity.this_update;
      j["nextUpdate"] = e.validity.next_update;
    }
    if (e.cert) j["nextAttempt"] = e.next_attempt;
    if (!e.problem.empty()) j["problem"] = e.problem;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace sslbind::serve
