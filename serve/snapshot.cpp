#include "serve/snapshot.hpp"

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

Snapshot::Snapshot(std::uint64_t generation, RegistryState state, const std::filesystem::path& root,
                   const Snapshot* previous)
    : generation_(generation),
      built_(std::chrono::system_clock::now()),
      state_(std::move(state)),
      index_(state_.bindings) {
  for (const auto& [key, binding] : state_.bindings) {
    listeners_.insert({std::nullopt, key.port()});
    if (key.kind() == KeyKind::IpPort && !key.ip_port().address.is_wildcard()) {
      listeners_.insert({key.ip_port().address, key.port()});
    }
  }
  const auto& config = state_.ccs_provider;
  if (previous != nullptr && previous->ccs_ && previous->state_.ccs_provider == config) {
    ccs_ = previous->ccs_;
    return;
  }
  auto opened = store::CcsProvider::open(config, root);
  if (opened)
    ccs_ = std::make_shared<store::CcsProvider>(std::move(*opened));
  else
    ccs_problem_ = opened.error().detail;
}

}  // namespace sslbind::serve
