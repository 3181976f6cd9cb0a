// serve's handshake on any bytes from a client: OpenSSL's record and ClientHello parsing with sslbind's ClientHello
// callback (server name, selection by HTTP.SYS's order, per-binding options, the certificate cache) behind it, over
// memory BIOs. Bindings: 0.0.0.0:443 and www.contoso.com:443 with a store certificate, ccs=443 over an empty folder.
// Never a crash; a handshake paused for a load is driven again once.
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "core/sslcert_command.hpp"
#include "serve/cert_cache.hpp"
#include "serve/handshake.hpp"
#include "serve/loader_pool.hpp"
#include "serve/snapshot.hpp"
#include "store/cert_store.hpp"
#include "store/compiled_registry.hpp"
#include "store/self_signed.hpp"
#include "tests/fuzz/scratch_dir.hpp"

namespace {

using namespace sslbind;

struct Server {
  std::filesystem::path root;
  std::unique_ptr<store::CertStore> stores;
  std::shared_ptr<const serve::Snapshot> snapshot;
  std::unique_ptr<serve::LoaderPool> loaders;
  std::unique_ptr<serve::CertCache> cache;
  SSL_CTX* ctx = nullptr;
};

void add(RegistryState& state, std::vector<std::string> words) {
  auto cmd = parse_sslcert_arguments(Verb::Add, words);
  if (!cmd || !state.bindings.add(Binding{*cmd->key, cmd->settings})) std::abort();
}

Server& server() {
  static Server s = [] {
    static const fuzz::ScratchDir scratch("sslbind-fuzz-hello");
    Server out;
    out.root = scratch.path();
    std::filesystem::create_directories(out.root / "ccs");
    out.stores = std::make_unique<store::CertStore>(out.root);
    auto made = store::make_self_signed({"www.contoso.com", {"www.contoso.com"}, 0, 86400});
    if (!made) std::abort();
    auto stored = out.stores->add(*made, "MY");
    if (!stored) std::abort();
    const std::string hash = "certhash=" + stored->info.thumbprint.hex();
    const std::string app = "appid={4dc3e181-e14b-4a21-b022-59fc669b0914}";
    RegistryState state;
    add(state, {"ipport=0.0.0.0:443", hash, app});
    add(state, {"hostnameport=www.contoso.com:443", hash, app, "certstorename=MY", "disabletls12=enable"});
    add(state, {"ccs=443", app});
    state.ccs_provider = CcsProviderConfig{};
    state.ccs_provider->enabled = true;
    state.ccs_provider->location = (out.root / "ccs").string();
    // Served from the compiled registry, as `serve` does once the CLI has written it.
    auto compiled = store::compile_registry(state.bindings, "", store::FileIdentity{});
    if (!compiled) std::abort();
    auto table = store::CompiledRegistry::from_bytes(std::move(*compiled), store::FileIdentity{});
    if (!table) std::abort();
    store::ServingState serving;
    serving.rest.ccs_provider = state.ccs_provider;
    serving.bindings = std::move(*table);
    out.snapshot = std::make_shared<serve::Snapshot>(1, std::move(serving), out.root, nullptr);
    if (!out.snapshot->ccs() || !out.snapshot->ccs()->refresh()) std::abort();  // serve lists it on a loader
    out.loaders = std::make_unique<serve::LoaderPool>(serve::LoaderPool::Limits{1, 64, 1, std::chrono::seconds(10)});
    out.cache = std::make_unique<serve::CertCache>(*out.loaders, serve::CacheLimits{});
    out.ctx = serve::make_listener_context();
    return out;
  }();
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Server& s = server();
  SSL* ssl = SSL_new(s.ctx);
  serve::Handshake handshake;
  handshake.in = std::make_unique<serve::HandshakeInput>();
  handshake.in->local = IpAddress::v4({127, 0, 0, 1});
  handshake.in->port = 443;
  handshake.in->snapshot = s.snapshot;
  handshake.in->cache = s.cache.get();
  handshake.in->stores = s.stores.get();
  handshake.in->resume = [] {};
  serve::attach(ssl, &handshake);
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  BIO_write(in, data, static_cast<int>(size));
  SSL_set_bio(ssl, in, out);
  SSL_set_accept_state(ssl);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (SSL_do_handshake(ssl) == 1) break;
    if (SSL_get_error(ssl, -1) != SSL_ERROR_WANT_CLIENT_HELLO_CB) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // a certificate being loaded
  }
  SSL_free(ssl);
  return 0;
}
