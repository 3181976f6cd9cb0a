#pragma once
// HTTP.SYS's choice of a server certificate for a new TLS connection (IIS 8 and later; seed 000, KP-SNI, KP-CCS):
//   1. the binding for the exact IP:port the client connected to;
//   2. the hostname:port binding for the SNI name (SNI clients only);
//   3. the CCS binding of the port: <hostname>.pfx, then _.<parent>.pfx from the Central Certificate Store;
//   4. [::]:port, for IPv6 connections only;
//   5. 0.0.0.0:port, for IPv4 and IPv6 connections.
// No match: no certificate is sent and the handshake fails.
//
// The index is built once from a BindingSet and answers with hash lookups, so that a TLS front end can use it per
// connection. It points into the BindingSet, which must outlive it.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/binding_set.hpp"
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
  const Binding* binding;
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

  Selection select(const ClientHello& hello, const CcsLookup& ccs) const;

 private:
  struct AddressKey {
    std::array<std::uint8_t, 16> bytes;
    std::uint16_t port;
    bool v6;
    friend bool operator==(const AddressKey&, const AddressKey&) = default;
  };
  struct AddressHash {
    std::size_t operator()(const AddressKey& k) const;
  };
  static AddressKey key_of(const IpAddress& address, std::uint16_t port);

  const Binding* find_ip(const IpAddress& address, std::uint16_t port) const;
  const Binding* find_host(const std::unordered_map<std::string, const Binding*>& map, std::uint16_t port,
                           const std::string& lower_host) const;

  std::unordered_map<AddressKey, const Binding*, AddressHash> ip_;
  std::unordered_map<std::string, const Binding*> sni_;  // "<lower-case host>:<port>"
  std::unordered_map<std::string, const Binding*> scoped_ccs_;
  std::unordered_map<std::uint16_t, const Binding*> ccs_;
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
