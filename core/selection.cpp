#include "core/selection.hpp"

#include "core/text.hpp"

namespace sslbind {

std::string_view step_name(SelectionStep step) {
  switch (step) {
    case SelectionStep::ExactIpPort: return "exact IP:port";
    case SelectionStep::HostnamePort: return "hostname:port (SNI)";
    case SelectionStep::Ccs: return "Central Certificate Store";
    case SelectionStep::Ipv6Wildcard: return "IPv6 wildcard [::]:port";
    case SelectionStep::Ipv4Wildcard: return "IPv4 wildcard 0.0.0.0:port";
  }
  return "";
}

std::size_t SelectionIndex::AddressHash::operator()(const AddressKey& k) const {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  auto mix = [&h](std::uint8_t b) { h = (h ^ b) * 1099511628211ull; };
  for (std::uint8_t b : k.bytes) mix(b);
  mix(static_cast<std::uint8_t>(k.port >> 8));
  mix(static_cast<std::uint8_t>(k.port & 0xFF));
  mix(k.v6 ? 1 : 0);
  return static_cast<std::size_t>(h);
}

SelectionIndex::AddressKey SelectionIndex::key_of(const IpAddress& address, std::uint16_t port) {
  return {address.bytes(), port, address.family() == IpAddress::Family::V6};
}

SelectionIndex::SelectionIndex(const BindingSet& bindings) {
  const auto host_key = [](const BindingKey& key) {
    std::string k = text::to_lower(key.host());
    k += ':';
    k += std::to_string(key.port());
    return k;
  };
  sni_.reserve(bindings.size());  // SNI bindings are the many on a hosting front end
  for (const auto& [key, binding] : bindings) {
    switch (key.kind()) {
      case KeyKind::IpPort: ip_.emplace(key_of(key.ip_port().address, key.port()), &binding); break;
      case KeyKind::HostnamePort: sni_.emplace(host_key(key), &binding); break;
      case KeyKind::ScopedCcs: scoped_ccs_.emplace(host_key(key), &binding); break;
      case KeyKind::Ccs: ccs_.emplace(key.port(), &binding); break;
    }
  }
}

const Binding* SelectionIndex::find_ip(const IpAddress& address, std::uint16_t port) const {
  const auto it = ip_.find(key_of(address, port));
  return it == ip_.end() ? nullptr : it->second;
}

const Binding* SelectionIndex::find_host(const std::unordered_map<std::string, const Binding*>& map, std::uint16_t port,
                                         const std::string& lower_host) const {
  if (map.empty()) return nullptr;
  const std::string suffix = ":" + std::to_string(port);
  if (const auto it = map.find(lower_host + suffix); it != map.end()) return it->second;
  // A wildcard host binding (*.contoso.com:443) covers one more label, as the certificate name does.
  const std::size_t dot = lower_host.find('.');
  if (dot == std::string::npos) return nullptr;
  const auto it = map.find("*" + lower_host.substr(dot) + suffix);
  return it == map.end() ? nullptr : it->second;
}

Selection SelectionIndex::select(const ClientHello& hello, const CcsLookup& ccs) const {
  Selection out;
  const std::uint16_t port = hello.port;
  const bool v6 = hello.address.family() == IpAddress::Family::V6;
  std::vector<Candidate> matches;  // every binding that could serve this connection, in priority order
  auto consider = [&](SelectionStep step, const Binding* b) {
    if (b != nullptr) matches.push_back({step, b});
  };
  if (!hello.address.is_wildcard()) consider(SelectionStep::ExactIpPort, find_ip(hello.address, port));
  std::string host;
  if (hello.sni) {
    host = text::to_lower(*hello.sni);
    consider(SelectionStep::HostnamePort, find_host(sni_, port, host));
    // A scoped CCS binding (one host name) is taken before the port-wide one; Microsoft documents neither order.
    const Binding* scoped = find_host(scoped_ccs_, port, host);
    const auto ccs_it = ccs_.find(port);
    consider(SelectionStep::Ccs, scoped != nullptr ? scoped : ccs_it == ccs_.end() ? nullptr : ccs_it->second);
  } else if (const auto it = ccs_.find(port); it != ccs_.end()) {
    out.passed_over.push_back(it->second->key.as_parameter() +
                              " needs the client's SNI host name; this client sent none");
  }
  if (v6) {
    static const IpAddress any6 = *IpAddress::parse("::", "ipport");
    consider(SelectionStep::Ipv6Wildcard, find_ip(any6, port));
  }
  static const IpAddress any4 = *IpAddress::parse("0.0.0.0", "ipport");
  consider(SelectionStep::Ipv4Wildcard, find_ip(any4, port));

  for (std::size_t i = 0; i < matches.size(); ++i) {
    const Candidate& c = matches[i];
    if (c.step == SelectionStep::Ccs) {
      // The CCS step serves only when the provider finds a file it can use; otherwise the next step is tried.
      out.ccs = ccs(host);
      if (!out.ccs->usable) {
        const std::string why = out.ccs->problem.empty()
                                    ? "the Central Certificate Store has no " + text::join(out.ccs->tried, " or ")
                                    : out.ccs->problem;
        out.passed_over.push_back(c.binding->key.as_parameter() + ": " + why);
        continue;
      }
    }
    out.winner = c;
    out.hidden.assign(matches.begin() + static_cast<std::ptrdiff_t>(i) + 1, matches.end());
    break;
  }
  return out;
}

ServedFrom source_of(const Selection& selection) {
  const Candidate& w = *selection.winner;
  if (w.step == SelectionStep::Ccs) return {ServedFrom::Kind::CcsFile, "", std::nullopt, *selection.ccs->file};
  return {ServedFrom::Kind::Store, w.binding->settings.effective_store(), w.binding->settings.certhash, ""};
}

}  // namespace sslbind
