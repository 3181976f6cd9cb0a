#include "serve/cert_choice.hpp"

#include <openssl/ssl.h>

#include "core/ccs_names.hpp"

namespace sslbind::serve {
namespace {

CertChoice failed(Failure why, int alert) {
  CertChoice c;
  c.state = CertChoice::State::Failed;
  c.failure = why;
  c.alert = alert;
  return c;
}

struct CcsFile {
  store::CcsFileMatch match;
  bool before_listing = false;  // found without the listing: a file that is missing may exist in another spelling
};

// The listing's answer; before the first listing ends (100k files take a tenth of a second), the file spelled as
// lookups spell it, which is the one the listing would name if it exists (see CcsFolderIndex).
Result<CcsFile> find_ccs_file(const store::CcsProvider& provider, std::string_view host) {
  if (const auto listing = provider.index()) {
    auto found = listing->find(host);
    if (!found) return found.error();
    return CcsFile{std::move(*found), false};
  }
  if (auto problem = provider.listing_problem()) return Error(ErrorCode::SourceUnavailable, *problem);
  auto names = ccs_file_names(host);
  if (!names) return names.error();
  return CcsFile{{{names->exact}, names->exact, ccs_hostname_of_file(names->exact).value_or("")}, true};
}

// The CCS step: the folder listing (in memory) and the cache; a file not loaded yet makes the choice Pending.
class CcsStep {
 public:
  explicit CcsStep(const CertRequest& r) : r_(r) {}
  bool pending() const { return pending_; }
  const std::shared_ptr<const CertObjects>& objects() const { return objects_; }

  CcsOutcome operator()(std::string_view host) {
    CcsOutcome out;
    const auto provider = r_.snapshot.ccs();
    if (!provider) {
      out.problem = r_.snapshot.ccs_problem();
      return out;
    }
    auto found = find_ccs_file(*provider, host);
    if (!found) {
      out.problem = found.error().detail;
      return out;
    }
    out.tried = found->match.tried;
    if (!found->match.file) return out;
    const std::string file = *found->match.file;
    out.file = file;
    auto got = r_.cache.get(
        CertSource::ccs_file(file),
        [provider, file]() -> Result<std::shared_ptr<const CertObjects>> {
          // Taken before the read: a file replaced during the read then looks changed, and is read again.
          const auto identity = store::identity_of(provider->folder() / file);
          if (!identity) return Error(ErrorCode::NotFound, file + " is not in the CCS folder");
          auto loaded = provider->read_file(file);
          if (!loaded) return loaded.error();
          return make_cert_objects(*loaded, identity);
        },
        r_.resume);
    switch (got.state) {
      case CertCache::Found::State::Ready:
        out.usable = true;
        objects_ = got.objects;
        break;
      case CertCache::Found::State::Loading:
        pending_ = true;
        out.problem = file + " is being loaded";
        break;
      case CertCache::Found::State::Unusable:
        if (found->before_listing && got.missing && !provider->listing_overdue()) {
          // Not spelled in lower case, or not there: only the listing can tell. If it ended meanwhile, ask again.
          if (!provider->wait_for_listing(r_.resume)) r_.resume();
          pending_ = true;
          out.problem = "the CCS folder is being listed";
          break;
        }
        out.problem = found->before_listing && got.missing
                          ? "the CCS folder is being listed past its deadline, and " + file + " is not there"
                          : file + " cannot be served: " + got.problem;
        break;
    }
    return out;
  }

 private:
  const CertRequest& r_;
  bool pending_ = false;
  std::shared_ptr<const CertObjects> objects_;
};

}  // namespace

CertChoice choose_certificate(const CertRequest& r) {
  CcsStep ccs(r);
  const Selection sel = r.snapshot.index().select(r.hello, std::ref(ccs));
  if (ccs.pending()) return {};
  if (!sel.winner) return failed(Failure::NoMatch, SSL_AD_UNRECOGNIZED_NAME);
  CertChoice c;
  c.binding = sel.winner->binding;
  c.step = sel.winner->step;
  if ((c.binding->settings.flags & ssl_flag::kReject) != 0) return failed(Failure::Rejected, SSL_AD_ACCESS_DENIED);
  const ServedFrom from = source_of(sel);
  if (from.kind == ServedFrom::Kind::CcsFile) {
    c.objects = ccs.objects();
    c.source = "file " + from.ccs_file;
  } else {
    const std::string store = from.store;
    const Thumbprint thumbprint = *from.thumbprint;
    const store::CertStore* stores = &r.stores;
    auto got = r.cache.get(
        CertSource::store(store, thumbprint.hex()),
        [stores, store, thumbprint]() -> Result<std::shared_ptr<const CertObjects>> {
          auto loaded = stores->load(store, thumbprint);
          if (!loaded) return loaded.error();
          return make_cert_objects(*loaded);
        },
        r.resume);
    if (got.state == CertCache::Found::State::Loading) return {};
    if (got.state == CertCache::Found::State::Unusable) {
      return failed(got.missing ? Failure::CertificateMissing : Failure::CertificateUnavailable, SSL_AD_INTERNAL_ERROR);
    }
    c.objects = got.objects;
    c.source = "store " + store;
  }
  c.state = CertChoice::State::Ready;
  return c;
}

}  // namespace sslbind::serve
