#pragma once
// `sslbind check`: configurations that give clients the wrong certificate or none, as the seeds and netsh users
// meet them. A pure function of what the registry, the stores and the CCS folder hold.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/ccs_entry.hpp"
#include "core/registry_state.hpp"

namespace sslbind {

enum class Severity { Error, Warning, Info };
std::string_view severity_name(Severity severity);  // "error", "warning", "info"

struct Finding {
  Severity severity;
  std::string rule;     // stable identifier, e.g. "ip-binding-hides-sni"
  std::string subject;  // what it is about: "ipport=10.0.0.5:443", "www.contoso.com.pfx"
  std::string message;  // what is wrong
  std::string fix;      // what to do
};

// A bound certificate as its store holds it: absent when the store does not have it, an error when its file cannot
// be used (damaged, or holding another certificate than its name says).
using StoreLookup = std::function<Result<std::optional<CertificateInfo>>(const std::string& store, const Thumbprint&)>;

struct CheckInput {
  const RegistryState* state = nullptr;
  StoreLookup find_certificate;
  std::optional<std::string> ccs_problem;  // the provider is enabled but its folder cannot be listed
  std::vector<CcsEntry> ccs_files;         // every <hostname>.pfx of the provider's folder
  std::int64_t now = 0;                    // seconds since the epoch
  std::uint32_t expiry_days = 30;          // warn this long before a certificate expires
};

// Errors first, then warnings, then information; each group in binding order.
std::vector<Finding> run_checks(const CheckInput& input);

}  // namespace sslbind
