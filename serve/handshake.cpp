#include "serve/handshake.hpp"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/tls1.h>

#include <cctype>

#include "core/ccs_names.hpp"
#include "core/hostname.hpp"
#include "core/text.hpp"
#include "serve/alpn.hpp"

namespace sslbind::serve {
namespace {

int handshake_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

constexpr std::size_t kMaxHostName = 253;

bool host_char(unsigned char c) { return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_'; }

// The host_name of the server_name extension (RFC 6066, section 3), lower case. nullopt: the extension is malformed.
std::optional<std::string> server_name(SSL* ssl) {
  const unsigned char* p = nullptr;
  std::size_t len = 0;
  if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len) != 1) return std::string();
  if (len < 2 || static_cast<std::size_t>((p[0] << 8) | p[1]) != len - 2) return std::nullopt;
  for (std::size_t i = 2; i + 3 <= len;) {
    const unsigned type = p[i];
    const std::size_t n = static_cast<std::size_t>((p[i + 1] << 8) | p[i + 2]);
    i += 3;
    if (i + n > len) return std::nullopt;
    if (type == TLSEXT_NAMETYPE_host_name) {
      if (n == 0 || n > kMaxHostName) return std::nullopt;
      const std::string_view sent(reinterpret_cast<const char*>(p + i), n);
      for (char c : sent) {
        if (!host_char(static_cast<unsigned char>(c))) return std::nullopt;
      }
      const std::string_view host = without_root_dot(sent);
      if (host.empty() || host.back() == '.') return std::nullopt;  // "." or "a..": no name
      return text::to_lower(host);
    }
    i += n;
  }
  return std::nullopt;
}

int accept_any_client_certificate(int, X509_STORE_CTX*) {
  // clientcertnegotiation asks for a certificate; as with HTTP.SYS, judging it is the application's business.
  return 1;
}

// A session-id context per binding and certificate: OpenSSL then refuses to resume a session or ticket made for
// another binding (the nginx CVE-2025-23419 class), and one made before the certificate changed.
void set_session_context(SSL* ssl, const Binding& binding, const std::string& certificate) {
  const std::string identity = binding.key.as_parameter() + "\n" + certificate + "\n" +
                               std::to_string(binding.settings.flags & ssl_flag::kNegotiateClientCert);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(identity.data(), identity.size(), digest, &size, EVP_sha256(), nullptr);
  SSL_set_session_id_context(ssl, digest, std::min<unsigned int>(size, SSL_MAX_SID_CTX_LENGTH));
}

void apply_options(SSL* ssl, const Binding& binding, Handshake& h) {
  const std::uint32_t flags = binding.settings.flags;
  if ((flags & ssl_flag::kDisableLegacyTls) != 0) SSL_set_min_proto_version(ssl, TLS1_2_VERSION);
  if ((flags & ssl_flag::kDisableTls13) != 0) SSL_set_max_proto_version(ssl, TLS1_2_VERSION);
  if ((flags & ssl_flag::kDisableTls12) != 0) SSL_set_options(ssl, SSL_OP_NO_TLSv1_2);
  if ((flags & ssl_flag::kNegotiateClientCert) != 0) {
    SSL_set_verify(ssl, SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE, accept_any_client_certificate);
  }
  // HTTP.SYS issues session tickets only where enablesessionticket is set.
  const bool tickets = (flags & ssl_flag::kEnableSessionTicket) != 0;
  if (!tickets) SSL_set_options(ssl, SSL_OP_NO_TICKET);
  if ((flags & ssl_flag::kDisableSessionId) != 0) {
    h.forget_session = true;
    if (!tickets) SSL_set_num_tickets(ssl, 0);  // TLS 1.3 without tickets would resume by session id
  }
}

int fail(Handshake& h, int* alert, Failure why, int with) {
  h.failure = why;
  *alert = with;
  return SSL_CLIENT_HELLO_ERROR;
}

std::string store_source(const std::string& store, const Thumbprint& t) {
  return "store/" + text::to_lower(store) + "/" + t.hex();
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

int on_client_hello(SSL* ssl, int* alert, void*) {
  auto* h = static_cast<Handshake*>(SSL_get_ex_data(ssl, handshake_index()));
  if (h == nullptr) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  const auto sni = server_name(ssl);
  if (!sni) return fail(*h, alert, Failure::BadClientHello, SSL_AD_ILLEGAL_PARAMETER);
  h->sni = *sni;
  const Snapshot& snap = *h->snapshot;

  // The CCS step asks the folder listing (in memory) and the cache; a file not loaded yet pauses the handshake.
  bool loading = false;
  std::shared_ptr<const CertObjects> ccs_objects;
  const CcsLookup ccs = [&](std::string_view host) {
    CcsOutcome out;
    if (!snap.ccs()) {
      out.problem = snap.ccs_problem();
      return out;
    }
    const auto provider = snap.ccs();
    auto found = find_ccs_file(*provider, host);
    if (!found) {
      out.problem = found.error().detail;
      return out;
    }
    out.tried = found->match.tried;
    if (!found->match.file) return out;
    out.file = *found->match.file;
    const std::string file = *found->match.file;
    auto got = h->cache->get(
        "ccs/" + file,
        [provider, file]() -> Result<std::shared_ptr<const CertObjects>> {
          // Taken before the read: a file replaced during the read then looks changed, and is read again.
          const auto identity = store::identity_of(provider->folder() / file);
          if (!identity) return Error(ErrorCode::NotFound, file + " is not in the CCS folder");
          auto loaded = provider->read_file(file);
          if (!loaded) return loaded.error();
          return make_cert_objects(*loaded, identity);
        },
        h->resume);
    switch (got.state) {
      case CertCache::Found::State::Ready:
        out.usable = true;
        ccs_objects = got.objects;
        break;
      case CertCache::Found::State::Loading:
        loading = true;
        out.problem = file + " is being loaded";
        break;
      case CertCache::Found::State::Unusable:
        if (found->before_listing && got.missing && !provider->listing_overdue()) {
          // Not spelled in lower case, or not there: only the listing can tell. If it ended meanwhile, ask again.
          if (!provider->wait_for_listing(h->resume)) h->resume();
          loading = true;
          out.problem = "the CCS folder is being listed";
          break;
        }
        out.problem = found->before_listing && got.missing
                          ? "the CCS folder is being listed past its deadline, and " + file + " is not there"
                          : file + " cannot be served: " + got.problem;
        break;
    }
    return out;
  };
  ClientHello hello{h->local, h->port, h->sni.empty() ? std::nullopt : std::optional<std::string>(h->sni)};
  const Selection sel = snap.index().select(hello, ccs);
  if (loading) return SSL_CLIENT_HELLO_RETRY;
  if (!sel.winner) return fail(*h, alert, Failure::NoMatch, SSL_AD_UNRECOGNIZED_NAME);
  const Binding& binding = *sel.winner->binding;
  if ((binding.settings.flags & ssl_flag::kReject) != 0)
    return fail(*h, alert, Failure::Rejected, SSL_AD_ACCESS_DENIED);

  std::shared_ptr<const CertObjects> objects;
  const ServedFrom from = source_of(sel);
  if (from.kind == ServedFrom::Kind::CcsFile) {
    objects = ccs_objects;
    h->source = "file " + from.ccs_file;
  } else {
    const std::string store = from.store;
    const Thumbprint thumbprint = *from.thumbprint;
    const store::CertStore* stores = h->stores;
    auto got = h->cache->get(
        store_source(store, thumbprint),
        [stores, store, thumbprint]() -> Result<std::shared_ptr<const CertObjects>> {
          auto loaded = stores->load(store, thumbprint);
          if (!loaded) return loaded.error();
          return make_cert_objects(*loaded);
        },
        h->resume);
    if (got.state == CertCache::Found::State::Loading) return SSL_CLIENT_HELLO_RETRY;
    if (got.state == CertCache::Found::State::Unusable) {
      return fail(*h, alert, got.missing ? Failure::CertificateMissing : Failure::CertificateUnavailable,
                  SSL_AD_INTERNAL_ERROR);
    }
    objects = got.objects;
    h->source = "store " + store;
  }
  if (!objects->apply(ssl)) return fail(*h, alert, Failure::CertificateUnavailable, SSL_AD_INTERNAL_ERROR);
  apply_options(ssl, binding, *h);
  set_session_context(ssl, binding, objects->thumbprint());
  h->step = sel.winner->step;
  h->winner = &binding;
  h->certificate = std::move(objects);
  return SSL_CLIENT_HELLO_SUCCESS;
}

// serve has no HTTP/2 session yet: h2 joins the offer when it has one.
constexpr bool kHttp2Session = false;

// Called after on_client_hello chose the binding, so the offer is the winner's. No match: the handshake goes on
// without ALPN (the client falls back to HTTP/1.1), as HAProxy does.
int select_protocol(SSL* ssl, const unsigned char** out, unsigned char* out_size, const unsigned char* in,
                    unsigned int in_size, void*) {
  const auto* h = static_cast<const Handshake*>(SSL_get_ex_data(ssl, handshake_index()));
  if (h == nullptr || h->winner == nullptr || h->forward_bytes) return SSL_TLSEXT_ERR_NOACK;
  const auto chosen = choose_protocol(std::string_view(reinterpret_cast<const char*>(in), in_size),
                                      protocols_for(*h->winner, kHttp2Session));
  if (!chosen) return SSL_TLSEXT_ERR_NOACK;
  *out = reinterpret_cast<const unsigned char*>(chosen->data());  // a constant: it outlives the handshake
  *out_size = static_cast<unsigned char>(chosen->size());
  return SSL_TLSEXT_ERR_OK;
}

// With a ClientHello callback the servername callback only acknowledges the name (OpenSSL's advice; HAProxy too).
int acknowledge_server_name(SSL*, int*, void*) { return SSL_TLSEXT_ERR_OK; }

}  // namespace

SSL_CTX* make_listener_context() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return nullptr;
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  // Read ahead: a record's header and body in one read(2), and often the next records with them. Every reader of
  // the connection reads from its TlsStream until it wants more before it waits for the socket, so nothing read ahead
  // waits.
  SSL_CTX_set_read_ahead(ctx, 1);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
  static const unsigned char kContext[] = "sslbind";
  SSL_CTX_set_session_id_context(ctx, kContext, sizeof kContext - 1);
  SSL_CTX_set_num_tickets(ctx, 1);  // OpenSSL sends two by default; one resumes a browser's next connection
  SSL_CTX_set_client_hello_cb(ctx, on_client_hello, nullptr);
  SSL_CTX_set_tlsext_servername_callback(ctx, acknowledge_server_name);
  SSL_CTX_set_alpn_select_cb(ctx, select_protocol, nullptr);
  return ctx;
}

void attach(SSL* ssl, Handshake* handshake) { SSL_set_ex_data(ssl, handshake_index(), handshake); }

}  // namespace sslbind::serve
