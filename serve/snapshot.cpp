#include "serve/snapshot.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include <cstring>
#include <tuple>

namespace sslbind::serve {

std::string ListenAddress::str() const {
  return address ? IpPort{*address, port}.str() : "[::]:" + std::to_string(port);
}

bool operator<(const ListenAddress& a, const ListenAddress& b) {
  auto key = [](const ListenAddress& l) {
    return std::tuple(l.port, l.address.has_value(), l.address ? l.address->family() : IpAddress::Family::V4,
                      l.address ? l.address->bytes() : std::array<std::uint8_t, 16>{});
  };
  return key(a) < key(b);
}

namespace {

// A web worker's address: its IP, or the first address its name resolves to.
Result<IpPort> resolve(const FarmServer& server) {
  if (auto ip = IpAddress::parse(server.host, "server")) return IpPort{*ip, server.port};
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int r = ::getaddrinfo(server.host.c_str(), nullptr, &hints, &found);
  if (r != 0 || found == nullptr) {
    return Error(ErrorCode::SourceUnavailable, "web worker " + server.str() + ": " + ::gai_strerror(r));
  }
  IpPort out{};
  if (found->ai_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(found->ai_addr);
    std::array<std::uint8_t, 4> bytes{};
    std::memcpy(bytes.data(), &a->sin_addr, 4);
    out = {IpAddress::v4(bytes), server.port};
  } else {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(found->ai_addr);
    std::array<std::uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), &a->sin6_addr, 16);
    out = {IpAddress::v6(bytes), server.port};
  }
  ::freeaddrinfo(found);
  return out;
}

}  // namespace

const IpPort* Snapshot::server_address(const std::string& server) const {
  const auto it = server_addresses_.find(server);
  return it == server_addresses_.end() ? nullptr : &it->second;
}

Snapshot::Snapshot(std::uint64_t generation, store::ServingState state, const std::filesystem::path& root,
                   const Snapshot* previous)
    : generation_(generation),
      built_(std::chrono::system_clock::now()),
      state_(std::move(state.rest)),
      index_(std::move(state.bindings)),
      source_(std::move(state.source)) {
  const ListenPlan plan = index_.table().listen_plan();
  if (state_.ip_listen.empty()) {
    for (const std::uint16_t port : plan.ports) listeners_.insert({std::nullopt, port});
    for (const IpPort& a : plan.addresses) listeners_.insert({a.address, a.port});
  } else {
    // As HTTP.SYS: only the listed addresses, on every port a binding names. A binding to an address not listed
    // gets no socket (its clients cannot connect), as on Windows.
    for (const std::uint16_t port : plan.ports) {
      for (const IpAddress& a : state_.ip_listen) listeners_.insert({a, port});
    }
  }
  for (const auto& [key, farm] : state_.farms.farms()) {
    for (const FarmServer& server : farm.servers) {
      const std::string name = server.str();
      if (server_addresses_.contains(name)) continue;
      auto address = resolve(server);
      if (address)
        server_addresses_.emplace(name, *address);
      else
        farm_problems_.push_back(address.error().detail);
    }
  }
  const TlsPolicy wanted = state_.tls_policy.value_or(default_tls_policy());
  // The OCSP setting is read per handshake, not from the context: changing it alone keeps the context.
  const auto same_context = [&wanted](TlsPolicy held) {
    held.ocsp_stapling_for_sni = wanted.ocsp_stapling_for_sni;
    return held == wanted;
  };
  if (previous != nullptr && previous->tls_ && same_context(previous->tls_policy_)) {
    tls_ = previous->tls_;
    tls_policy_ = wanted;
  } else if (auto made = make_policy_context(wanted)) {
    tls_ = std::move(*made);
    tls_policy_ = wanted;
  } else {
    tls_problem_ = "TLS policy " + wanted.profile + " not applied: " + made.error().detail;
    if (previous != nullptr && previous->tls_) {
      tls_ = previous->tls_;
      tls_policy_ = previous->tls_policy_;
    } else if (auto fallback = make_policy_context(default_tls_policy())) {
      tls_ = std::move(*fallback);
      tls_policy_ = default_tls_policy();
    }
  }
  const auto& config = state_.ccs_provider;
  if (previous != nullptr && previous->ccs_ && previous->state_.ccs_provider == config) {
    ccs_ = previous->ccs_;
    return;
  }
  // Listed by the control on a loader thread: a folder of 100k files must not hold back the first handshake.
  auto opened = store::CcsProvider::open(config, root, store::Listing::Later);
  if (opened)
    ccs_ = std::make_shared<store::CcsProvider>(std::move(*opened));
  else
    ccs_problem_ = opened.error().detail;
}

}  // namespace sslbind::serve
