#include "core/selection.hpp"

#include "core/memory_binding_table.hpp"
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

SelectionIndex::SelectionIndex(const BindingSet& bindings) : table_(std::make_shared<MemoryBindingTable>(bindings)) {}

SelectionIndex::SelectionIndex(std::shared_ptr<const BindingTable> table) : table_(std::move(table)) {}

std::shared_ptr<const Binding> SelectionIndex::find_host(KeyKind kind, const std::string& lower_host,
                                                         std::uint16_t port) const {
  if (auto exact = table_->host_port(kind, lower_host, port)) return exact;
  // A wildcard host binding (*.contoso.com:443) covers one more label, as the certificate name does.
  const std::size_t dot = lower_host.find('.');
  if (dot == std::string::npos) return nullptr;
  return table_->host_port(kind, "*" + lower_host.substr(dot), port);
}

Selection SelectionIndex::select(const ClientHello& hello, const CcsLookup& ccs) const {
  Selection out;
  const std::uint16_t port = hello.port;
  const bool v6 = hello.address.family() == IpAddress::Family::V6;
  std::vector<Candidate> matches;  // every binding that could serve this connection, in priority order
  auto consider = [&](SelectionStep step, std::shared_ptr<const Binding> b) {
    if (b != nullptr) matches.push_back({step, std::move(b)});
  };
  if (!hello.address.is_wildcard()) consider(SelectionStep::ExactIpPort, table_->ip_port(hello.address, port));
  std::string host;
  if (hello.sni) {
    host = text::to_lower(*hello.sni);
    consider(SelectionStep::HostnamePort, find_host(KeyKind::HostnamePort, host, port));
    // A scoped CCS binding (one host name) is taken before the port-wide one; Microsoft documents neither order.
    auto scoped = find_host(KeyKind::ScopedCcs, host, port);
    consider(SelectionStep::Ccs, scoped != nullptr ? std::move(scoped) : table_->ccs(port));
  } else if (const auto port_wide = table_->ccs(port)) {
    out.passed_over.push_back(port_wide->key.as_parameter() +
                              " needs the client's SNI host name; this client sent none");
  }
  if (v6) {
    static const IpAddress any6 = *IpAddress::parse("::", "ipport");
    consider(SelectionStep::Ipv6Wildcard, table_->ip_port(any6, port));
  }
  static const IpAddress any4 = *IpAddress::parse("0.0.0.0", "ipport");
  consider(SelectionStep::Ipv4Wildcard, table_->ip_port(any4, port));

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
