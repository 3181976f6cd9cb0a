#include "serve/tls_context.hpp"

#include <openssl/tls1.h>

#include <string>
#include <vector>

#include "core/text.hpp"
#include "serve/handshake.hpp"

namespace sslbind::serve {
namespace {

using ContextPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;

ContextPtr scratch() {
  ContextPtr ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (ctx) SSL_CTX_set_security_level(ctx.get(), 0);  // a name is known or not, whatever level the policy sets
  return ctx;
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= list.size()) {
    const std::size_t end = std::min(list.find(':', at), list.size());
    out.push_back(list.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

Error unknown(std::string_view what, const std::string& name, std::string_view rule) {
  return invalid(std::string(what) + ": " + text::quote(name) + " is " + std::string(rule) + " OpenSSL " +
                 OpenSSL_version(OPENSSL_VERSION_STRING) + " does not know");
}

// OpenSSL's cipher list syntax: names and keywords (HIGH, aNULL), each maybe after !, - or +, and @SECLEVEL=n or
// @STRENGTH. An element that matches no cipher is named.
Status check_ciphers(const std::string& list) {
  for (const std::string& element : split(list)) {
    if (element.empty()) return invalid("ciphers " + text::quote(list) + " has an empty element between colons");
    if (element.starts_with('@')) {
      const bool level =
          element.size() == 11 && element.starts_with("@SECLEVEL=") && element[10] >= '0' && element[10] <= '5';
      if (!level && element != "@STRENGTH") {
        return invalid("ciphers: " + text::quote(element) + " is neither @SECLEVEL=0 to 5 nor @STRENGTH");
      }
      continue;
    }
    const std::size_t skip = element.find_first_not_of("!-+");
    const std::string name = skip == std::string::npos ? "" : element.substr(skip);
    auto ctx = scratch();
    if (!ctx || name.empty() || SSL_CTX_set_cipher_list(ctx.get(), name.c_str()) != 1) {
      return unknown("ciphers", name, "a cipher or cipher keyword");
    }
  }
  return Ok{};
}

template <typename Set>
Status check_each(std::string_view what, const std::string& list, std::string_view rule, Set set) {
  if (list.empty()) return Ok{};
  for (const std::string& name : split(list)) {
    auto ctx = scratch();
    if (!ctx || name.empty() || set(ctx.get(), name.c_str()) != 1) return unknown(what, name, rule);
  }
  return Ok{};
}

bool offers_below_13(const TlsPolicy& p) { return p.protocols.front() < TlsVersion::Tls13; }
bool offers_13(const TlsPolicy& p) { return p.protocols.back() == TlsVersion::Tls13; }

int openssl_version(TlsVersion v) { return static_cast<int>(v); }

}  // namespace

Status check_tls_policy(const TlsPolicy& policy) {
  if (policy.protocols.empty()) return invalid("protocols is empty; give at least one, e.g. TLSv1.2,TLSv1.3");
  if (!policy.ciphers.empty()) {
    if (auto s = check_ciphers(policy.ciphers); !s) return s;
  }
  if (auto s = check_each("ciphersuites", policy.ciphersuites, "a TLS 1.3 suite",
                          [](SSL_CTX* c, const char* n) { return SSL_CTX_set_ciphersuites(c, n); });
      !s) {
    return s;
  }
  if (auto s = check_each("groups", policy.groups, "a group",
                          [](SSL_CTX* c, const char* n) { return static_cast<int>(SSL_CTX_set1_groups_list(c, n)); });
      !s) {
    return s;
  }
  if (auto s = check_each("sigalgs", policy.signature_algorithms, "a signature algorithm",
                          [](SSL_CTX* c, const char* n) { return static_cast<int>(SSL_CTX_set1_sigalgs_list(c, n)); });
      !s) {
    return s;
  }
  if (offers_below_13(policy)) {
    // The list as a whole, at the level it sets: what is left for TLSv1.2 and below.
    auto ctx = scratch();
    SSL_CTX_set_security_level(ctx.get(), 1);
    const bool some = !policy.ciphers.empty() && SSL_CTX_set_cipher_list(ctx.get(), policy.ciphers.c_str()) == 1;
    if (!some) {
      return invalid("protocols " + tls_versions_text(policy.protocols) +
                     " include TLS 1.2 or below, but ciphers gives none for them: give ciphers=, or protocols=TLSv1.3");
    }
  }
  if (offers_13(policy) && policy.ciphersuites.empty()) {
    return invalid("protocols " + tls_versions_text(policy.protocols) +
                   " include TLSv1.3, but ciphersuites is empty: give ciphersuites=, or leave TLSv1.3 out");
  }
  return Ok{};
}

Status apply_tls_policy(SSL_CTX* ctx, const TlsPolicy& policy) {
  if (auto s = check_tls_policy(policy); !s) return s;
  const TlsVersion lowest = policy.protocols.front();
  const TlsVersion highest = policy.protocols.back();
  SSL_CTX_set_min_proto_version(ctx, openssl_version(lowest));
  SSL_CTX_set_max_proto_version(ctx, openssl_version(highest));
  // A gap (TLSv1 and TLSv1.2 without TLSv1.1) is an option of its own.
  for (const auto& [version, option] :
       {std::pair{TlsVersion::Tls10, SSL_OP_NO_TLSv1}, std::pair{TlsVersion::Tls11, SSL_OP_NO_TLSv1_1},
        std::pair{TlsVersion::Tls12, SSL_OP_NO_TLSv1_2}, std::pair{TlsVersion::Tls13, SSL_OP_NO_TLSv1_3}}) {
    const bool listed = std::find(policy.protocols.begin(), policy.protocols.end(), version) != policy.protocols.end();
    if (listed)
      SSL_CTX_clear_options(ctx, option);
    else
      SSL_CTX_set_options(ctx, option);
  }
  const bool ok =
      (policy.ciphers.empty() || SSL_CTX_set_cipher_list(ctx, policy.ciphers.c_str()) == 1) &&
      SSL_CTX_set_ciphersuites(ctx, policy.ciphersuites.c_str()) == 1 &&
      (policy.groups.empty() || SSL_CTX_set1_groups_list(ctx, policy.groups.c_str()) == 1) &&
      (policy.signature_algorithms.empty() || SSL_CTX_set1_sigalgs_list(ctx, policy.signature_algorithms.c_str()) == 1);
  if (!ok) return invalid("OpenSSL refused the TLS policy " + policy.profile);
  if (policy.server_preference)
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  else
    SSL_CTX_clear_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_dh_auto(ctx, 1);
  return Ok{};
}

Result<TlsContext> make_policy_context(const TlsPolicy& policy) {
  TlsContext ctx(make_listener_context(), SSL_CTX_free);
  if (!ctx) return invalid("OpenSSL could not make a TLS context");
  if (auto s = apply_tls_policy(ctx.get(), policy); !s) return s.error();
  return ctx;
}

}  // namespace sslbind::serve
