#pragma once
// The trusted lists client certificates are judged against (client_certificate.hpp), by store name, shared by all I/O
// threads: HTTP.SYS reads the CTL a binding names (sslctlstorename), or the machine's trusted roots when it names none;
// here a CTL is a store of CA certificates (`sslbind add cert file=ca.pem certstorename=ClientCAs`), and "Root" stands
// for the machine's roots. A store is read on a loader thread the first time a handshake needs it (the handshake
// pauses, as for a certificate) and read again in the background once it is older than a refresh period, so that a CA
// added to it is trusted within that period without a restart.
#include <openssl/x509.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "serve/loader_pool.hpp"

namespace sslbind::serve {

class TrustStores {
 public:
  using Store = std::shared_ptr<X509_STORE>;
  // Runs on a loader thread: the PEM texts of the store's certificates.
  using Read = std::function<Result<std::vector<std::string>>(const std::string& store)>;
  using Resume = std::function<void()>;
  static constexpr std::int64_t kRefreshSeconds = 30;

  TrustStores(LoaderPool& loaders, Read read);
  TrustStores(const TrustStores&) = delete;
  TrustStores& operator=(const TrustStores&) = delete;

  // The store to judge against, or null while it is first read (then `resume` is called once it is). Never blocks.
  Store get(std::string_view name, Resume resume, std::int64_t now);
  // The last client certificate refused, for show frontend: a line per refusal would let a client fill the log.
  void refused(const std::string& subject, const std::string& binding, const std::string& problem);
  nlohmann::json status() const;

  // The trusted list made of these PEM texts: each certificate is an anchor, a CA below a root as much as a root
  // (a CTL lists issuers, not roots alone). Texts that hold no certificate are counted in `skipped`.
  static Store make_store(const std::vector<std::string>& pems, std::size_t& skipped);

 private:
  struct Entry {
    Store store;
    std::string spelling;  // the name as the binding wrote it
    std::size_t certificates = 0;
    std::string problem;
    std::int64_t loaded_at = 0;
    bool in_flight = false;
    std::vector<Resume> waiters;
  };
  void load(const std::string& key, Entry& e, std::int64_t now);  // lock held

  LoaderPool& loaders_;
  Read read_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;  // by lower-case name: store names match without regard to case
  std::uint64_t refusals_ = 0;
  nlohmann::json last_refusal_;
};

}  // namespace sslbind::serve
