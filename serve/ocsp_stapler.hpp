#pragma once
// OCSP stapling as HTTP.SYS does it (docs/ocsp.md): a response per certificate that names a responder and whose
// issuer is in its chain, fetched and checked on loader threads, kept on disk beside the registry so that a restart
// staples at once, and fetched again at half its validity (clamped to 5 minutes .. 1 hour, as HAProxy does). A
// handshake only reads what is there: the first handshakes of a certificate go without a staple, as with nginx.
#include <openssl/x509.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <shared_mutex>
#include <string>

#include "serve/cert_objects.hpp"
#include "serve/loader_pool.hpp"
#include "serve/ocsp_response.hpp"

namespace sslbind::serve {

class OcspStapler {
 public:
  OcspStapler(LoaderPool& loaders, std::filesystem::path folder);
  OcspStapler(const OcspStapler&) = delete;
  OcspStapler& operator=(const OcspStapler&) = delete;

  // The response to staple for this certificate now, or null; a certificate seen for the first time gets its
  // response asked for (from disk, then from its responder). Never blocks on I/O.
  std::shared_ptr<const std::string> staple(const std::shared_ptr<const CertObjects>& objects);
  // Asks again for the responses that are due, and retries failed fetches after a minute.
  void refresh(std::int64_t now);
  // Per certificate: its responder and the state of its staple, for show frontend and the metrics.
  nlohmann::json status(std::int64_t now) const;

 private:
  struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
  };
  using Cert = std::unique_ptr<X509, X509Free>;
  struct Entry {
    Cert cert;
    Cert issuer;
    std::string responder;
    std::string problem;  // why there is no staple, if there is none
    std::shared_ptr<const std::string> response;
    OcspValidity validity;
    std::int64_t next_attempt = 0;
    bool in_flight = false;
    bool read_disk = true;  // the first attempt reads the saved response before it asks the responder
    std::uint64_t fetches = 0;
    std::uint64_t failures = 0;
  };
  void ask(const std::string& thumbprint, Entry& entry, std::int64_t now);  // with the lock held

  LoaderPool& loaders_;
  std::filesystem::path folder_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, Entry> entries_;  // by thumbprint
};

}  // namespace sslbind::serve
