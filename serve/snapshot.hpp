#pragma once
// One committed state of the registry as the front end serves it: the bindings (a table: the compiled registry,
// mapped, or the in-memory one), the selection index on them (the same SelectionIndex that `sslbind resolve` uses),
// the CCS provider and the addresses to listen on. Immutable
// once built; each connection keeps the snapshot it was accepted with, so a change never alters a handshake in flight.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/registry_state.hpp"
#include "core/selection.hpp"
#include "serve/tls_context.hpp"
#include "store/ccs_provider.hpp"
#include "store/registry.hpp"

namespace sslbind::serve {

// A listening socket: the dual-stack wildcard [::]:port, or a specific address (an ipport binding's, or one of the
// IP listen list, where 0.0.0.0 is every IPv4 address and :: every IPv6 one).
struct ListenAddress {
  std::optional<IpAddress> address;  // absent: [::] (IPv4 clients arrive as ::ffff:a.b.c.d)
  std::uint16_t port = 0;
  std::string str() const;
  friend bool operator<(const ListenAddress& a, const ListenAddress& b);
  friend bool operator==(const ListenAddress& a, const ListenAddress& b) { return !(a < b) && !(b < a); }
};

class Snapshot {
 public:
  // `previous` lends its CCS provider when the provider's settings did not change, so that its listing is kept.
  Snapshot(std::uint64_t generation, store::ServingState state, const std::filesystem::path& root,
           const Snapshot* previous);
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  std::uint64_t generation() const { return generation_; }
  std::chrono::system_clock::time_point built() const { return built_; }
  // Everything but the bindings: the CCS provider's settings, the web farms.
  const RegistryState& state() const { return state_; }
  const SelectionIndex& index() const { return index_; }
  std::size_t binding_count() const { return index_.table().size(); }
  // How the registry was read: the compiled file, or registry.json whole and why.
  const std::string& source() const { return source_; }
  // Null when no provider is enabled or its folder cannot be listed; ccs_problem() says which.
  const std::shared_ptr<store::CcsProvider>& ccs() const { return ccs_; }
  const std::string& ccs_problem() const { return ccs_problem_; }
  const std::set<ListenAddress>& listeners() const { return listeners_; }
  // The web workers' addresses (names resolved when the snapshot was built, on the control thread, so that no I/O
  // thread waits for DNS); nullptr for a server whose name did not resolve: farm_problems() says why.
  const IpPort* server_address(const std::string& server) const;
  const std::vector<std::string>& farm_problems() const { return farm_problems_; }
  // The listener context new connections take: the machine-wide TLS policy applied (kept from the previous snapshot
  // while the policy is the same, so that its session cache and ticket keys go on). A policy OpenSSL refuses (a
  // registry edited by hand) leaves the previous one in force, or the intermediate profile: tls_problem() says why.
  SSL_CTX* tls() const { return tls_.get(); }
  const std::string& tls_problem() const { return tls_problem_; }

 private:
  std::uint64_t generation_;
  std::chrono::system_clock::time_point built_;
  RegistryState state_;
  SelectionIndex index_;
  std::string source_;
  std::shared_ptr<store::CcsProvider> ccs_;
  std::string ccs_problem_;
  std::set<ListenAddress> listeners_;
  std::map<std::string, IpPort> server_addresses_;
  std::vector<std::string> farm_problems_;
  TlsContext tls_;
  TlsPolicy tls_policy_;  // the one tls_ carries
  std::string tls_problem_;
};

}  // namespace sslbind::serve
