#pragma once
// The machine-wide TLS policy (core/tls_policy.hpp) on an OpenSSL context. OpenSSL alone knows which names of
// suites, groups and signature algorithms it has, so `set tlspolicy` checks a policy here before it is written, and
// each snapshot applies it to the listener context its new connections use.
#include <openssl/ssl.h>

#include <memory>

#include "core/result.hpp"
#include "core/tls_policy.hpp"

namespace sslbind::serve {

// Every name of the policy is one OpenSSL knows, and each protocol has something to offer: a TLS 1.2-and-below
// cipher for TLSv1 to TLSv1.2, a suite for TLSv1.3. The error names the value and the rule.
Status check_tls_policy(const TlsPolicy& policy);
// Sets the protocols, ciphers, suites, groups, signature algorithms and preference on `ctx`; DHE suites get
// OpenSSL's automatic groups (ffdhe2048 for a 2048-bit key, as Mozilla's profiles ask).
Status apply_tls_policy(SSL_CTX* ctx, const TlsPolicy& policy);

using TlsContext = std::shared_ptr<SSL_CTX>;
// A listener context (serve/handshake.hpp) with the policy on it.
Result<TlsContext> make_policy_context(const TlsPolicy& policy);

}  // namespace sslbind::serve
