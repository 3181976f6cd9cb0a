#pragma once
// The certificate for one ClientHello, chosen by HTTP.SYS's order with the snapshot's SelectionIndex (the code path
// of `sslbind resolve`, so that the wire and the report agree), as a typed result that the ClientHello callback
// applies: Ready (the objects and the winning binding), Pending (a loader thread reads a certificate or lists the
// CCS folder; `resume` is called when it is done) or Failed (the failure counted and the alert sent). It never
// blocks and touches no SSL object.
#include <memory>
#include <string>

#include "core/selection.hpp"
#include "serve/cert_cache.hpp"
#include "serve/snapshot.hpp"
#include "serve/stats.hpp"
#include "store/cert_store.hpp"

namespace sslbind::serve {

struct CertRequest {
  ClientHello hello;  // the address and port connected to, and the SNI name in lower case
  const Snapshot& snapshot;
  CertCache& cache;
  const store::CertStore& stores;
  CertCache::Resume resume;
};

struct CertChoice {
  enum class State { Ready, Pending, Failed } state = State::Pending;
  // Ready
  std::shared_ptr<const Binding> binding;
  SelectionStep step = SelectionStep::ExactIpPort;
  std::shared_ptr<const CertObjects> objects;
  std::string source;  // "store MY" or "file www.contoso.com.pfx"
  // Failed
  Failure failure = Failure::NoMatch;
  int alert = 0;  // a TLS alert (SSL_AD_*)
};

CertChoice choose_certificate(const CertRequest& request);

}  // namespace sslbind::serve
