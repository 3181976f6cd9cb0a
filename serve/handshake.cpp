#include "serve/handshake.hpp"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/tls1.h>

#include <ctime>

#include "serve/alpn.hpp"
#include "serve/cert_choice.hpp"
#include "serve/client_certificate.hpp"
#include "serve/server_name.hpp"
#include "serve/snapshot.hpp"
#include "serve/ticket_keys.hpp"

namespace sslbind::serve {
namespace {

int handshake_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// The server_name extension, if the ClientHello has one; an absent one is an empty name.
ServerName server_name(SSL* ssl) {
  const unsigned char* p = nullptr;
  std::size_t len = 0;
  if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len) != 1) return {ServerName::Verdict::Name, {}};
  return parse_server_name(std::string_view(reinterpret_cast<const char*>(p), len));
}

int accept_any_client_certificate(int, X509_STORE_CTX*) {
  // clientcertnegotiation asks for a certificate, and HTTP.SYS completes the handshake whatever it is: the
  // connection judges it afterwards (client_certificate.hpp) and its requests are answered by the verdict.
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
  // The options narrow the machine-wide policy and never widen it: a policy of TLS 1.3 alone stays so.
  const long lowest = SSL_get_min_proto_version(ssl);
  const long highest = SSL_get_max_proto_version(ssl);
  if ((flags & ssl_flag::kDisableLegacyTls) != 0 && lowest < TLS1_2_VERSION) {
    SSL_set_min_proto_version(ssl, TLS1_2_VERSION);
  }
  if ((flags & ssl_flag::kDisableTls13) != 0 && (highest == 0 || highest > TLS1_2_VERSION)) {
    SSL_set_max_proto_version(ssl, TLS1_2_VERSION);
  }
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

int on_client_hello(SSL* ssl, int* alert, void*) {
  auto* h = static_cast<Handshake*>(SSL_get_ex_data(ssl, handshake_index()));
  if (h == nullptr || h->in == nullptr) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  ServerName sni = server_name(ssl);
  switch (sni.verdict) {
    case ServerName::Verdict::Malformed: return fail(*h, alert, Failure::BadClientHello, SSL_AD_DECODE_ERROR);
    case ServerName::Verdict::Unrecognized: return fail(*h, alert, Failure::BadClientHello, SSL_AD_UNRECOGNIZED_NAME);
    case ServerName::Verdict::Name: break;
  }
  h->sni = std::move(sni.name);
  const HandshakeInput& in = *h->in;
  const ClientHello hello{in.local, in.port, h->sni.empty() ? std::nullopt : std::optional<std::string>(h->sni)};
  CertChoice choice = choose_certificate({hello, *in.snapshot, *in.cache, *in.stores, in.resume});
  switch (choice.state) {
    case CertChoice::State::Pending: return SSL_CLIENT_HELLO_RETRY;
    case CertChoice::State::Failed: return fail(*h, alert, choice.failure, choice.alert);
    case CertChoice::State::Ready: break;
  }
  if ((choice.binding->settings.flags & ssl_flag::kNegotiateClientCert) != 0 && in.trust != nullptr) {
    // The trusted list is read before the certificate is asked for, so that judging it after the handshake waits
    // for nothing but CRLs.
    h->trust = in.trust->get(client_cert_policy(choice.binding->settings).trusted_list, in.resume,
                             static_cast<std::int64_t>(std::time(nullptr)));
    if (!h->trust) return SSL_CLIENT_HELLO_RETRY;
  }
  if (!choice.objects->apply(ssl)) return fail(*h, alert, Failure::CertificateUnavailable, SSL_AD_INTERNAL_ERROR);
  apply_options(ssl, *choice.binding, *h);
  set_session_context(ssl, *choice.binding, choice.objects->thumbprint());
  h->step = choice.step;
  h->winner = std::move(choice.binding);
  h->source = std::move(choice.source);
  h->certificate = std::move(choice.objects);
  return SSL_CLIENT_HELLO_SUCCESS;
}

// Called after on_client_hello chose the binding, so the offer is the winner's. No match: the handshake goes on
// without ALPN (the client falls back to HTTP/1.1), as HAProxy does.
int select_protocol(SSL* ssl, const unsigned char** out, unsigned char* out_size, const unsigned char* in,
                    unsigned int in_size, void*) {
  const auto* h = static_cast<const Handshake*>(SSL_get_ex_data(ssl, handshake_index()));
  if (h == nullptr || h->winner == nullptr || h->in == nullptr || h->in->forward_bytes) return SSL_TLSEXT_ERR_NOACK;
  const auto chosen = choose_protocol(std::string_view(reinterpret_cast<const char*>(in), in_size),
                                      protocols_for(*h->winner, h->in->http2));
  if (!chosen) return SSL_TLSEXT_ERR_NOACK;
  *out = reinterpret_cast<const unsigned char*>(chosen->data());  // a constant: it outlives the handshake
  *out_size = static_cast<unsigned char>(chosen->size());
  return SSL_TLSEXT_ERR_OK;
}

// HTTP.SYS staples for IP bindings; for SNI and CCS bindings only when the machine says so (Schannel's
// EnableOcspStaplingForSni), since those hosts may have thousands of certificates. disableocspstapling always wins.
bool stapling_on(const Binding& binding, const Snapshot& snapshot) {
  if ((binding.settings.flags & ssl_flag::kDisableOcspStapling) != 0) return false;
  if (binding.key.kind() == KeyKind::IpPort) return true;
  const auto& policy = snapshot.state().tls_policy;
  return policy && policy->ocsp_stapling_for_sni;
}

// Called when the client asked for the certificate's status: the staple if one is there, never a wait for one.
int staple_status(SSL* ssl, void*) {
  const auto* h = static_cast<const Handshake*>(SSL_get_ex_data(ssl, handshake_index()));
  if (h == nullptr || h->winner == nullptr || h->certificate == nullptr || h->in == nullptr || h->in->ocsp == nullptr ||
      !stapling_on(*h->winner, *h->in->snapshot)) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  const auto response = h->in->ocsp->staple(h->certificate);
  if (!response) return SSL_TLSEXT_ERR_NOACK;
  // OpenSSL takes the copy and frees it with the connection.
  auto* copy = static_cast<unsigned char*>(OPENSSL_memdup(response->data(), response->size()));
  if (copy == nullptr) return SSL_TLSEXT_ERR_NOACK;
  SSL_set_tlsext_status_ocsp_resp(ssl, copy, static_cast<long>(response->size()));
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
  SSL_CTX_set_tlsext_status_cb(ctx, staple_status);
  // The process's ticket keys (the farm's, when the registry is on etcd) rather than this context's own: after a
  // policy change, and on another front end of the farm, the tickets issued still resume.
  SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, TicketKeyRing::callback);
  return ctx;
}

void attach(SSL* ssl, Handshake* handshake) { SSL_set_ex_data(ssl, handshake_index(), handshake); }

}  // namespace sslbind::serve
