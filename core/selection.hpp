#pragma once
// HTTP.SYS's choice of a server certificate for a new TLS connection (IIS 8 and later; seed 000, KP-SNI, KP-CCS):
//   1. the binding for the exact IP:port the client connected to;
//   2. the hostname:port binding for the SNI name (SNI clients only);
//   3. the CCS binding of the port: <hostname>.pfx, then _.<parent>.pfx from the Central Certificate Store;
//   4. [::]:port, for IPv6 connections only;
//   5. 0.0.0.0:port, for IPv4 and IPv6 connections.
// No match: no certificate is sent and the handshake fails.
//
// The index asks a BindingTable (hash lookups), so that a TLS front end can use it per connection: the in-memory
// table of a BindingSet, which must then outlive the index, or the compiled registry.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/binding_table.hpp"
#include "core/certificate_info.hpp"

namespace sslbind {

enum class SelectionStep { ExactIpPort, HostnamePort, Ccs, Ipv6Wildcard, Ipv4Wildcard };
std::string_view step_name(SelectionStep step);  // "exact IP:port", "hostname:port (SNI)", ...

struct ClientHello {
  IpAddress address;  // the server address the client connected to
  std::uint16_t port = 0;
  std::optional<std::string> sni;  // absent: a client without SNI
};

// What the CCS provider made of a host name: the files it tried and the one it found, if any.
struct CcsOutcome {
  std::vector<std::string> tried;
  std::optional<std::string> file;             // the first file that exists
  std::optional<CertificateInfo> certificate;  // what the file holds, when it opens
  bool usable = false;                         // it opens and has its private key
  std::string problem;                         // why the lookup or the file failed
};
using CcsLookup = std::function<CcsOutcome(std::string_view host)>;

struct Candidate {
  SelectionStep step;
  std::shared_ptr<const Binding> binding;
};

struct Selection {
  std::optional<Candidate> winner;       // absent: the handshake fails
  std::optional<CcsOutcome> ccs;         // the CCS lookup, when step 3 was tried
  std::vector<Candidate> hidden;         // bindings of later steps that match this connection too
  std::vector<std::string> passed_over;  // why earlier steps that had a binding did not serve, in order
};

class SelectionIndex {
 public:
  explicit SelectionIndex(const BindingSet& bindings);
  explicit SelectionIndex(std::shared_ptr<const BindingTable> table);

  Selection select(const ClientHello& hello, const CcsLookup& ccs) const;
  const BindingTable& table() const { return *table_; }

 private:
  // The binding for this host name, or for the wildcard key one label up (*.contoso.com:443), as the certificate
  // name matches.
  std::shared_ptr<const Binding> find_host(KeyKind kind, const std::string& lower_host, std::uint16_t port) const;

  std::shared_ptr<const BindingTable> table_;
};

// Where the winner's certificate comes from: a store and thumbprint, or a file of the CCS folder. resolve describes it
// and the front end loads it, so both name the same certificate.
struct ServedFrom {
  enum class Kind { Store, CcsFile } kind = Kind::Store;
  std::string store;                     // Store: the store HTTP.SYS reads (MY when the binding names none)
  std::optional<Thumbprint> thumbprint;  // Store
  std::string ccs_file;                  // CcsFile: the file name in the folder
};
// For a selection with a winner.
ServedFrom source_of(const Selection& selection);

}  // namespace sslbind
