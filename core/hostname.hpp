#pragma once
// Host names for SNI and scoped CCS bindings: www.contoso.com:443, *.contoso.com:443, Unicode names as typed.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sslbind {

// Checks one DNS host name: labels of letters, digits and '-' (or any visible non-ASCII letter, since netsh takes
// Unicode names), 1-63 bytes each, 253 bytes in all, no trailing dot; a leading "*." label is allowed when
// allow_wildcard is set. `what` names the parameter in the error.
Status validate_hostname(std::string_view host, std::string_view what, bool allow_wildcard);

// A name as a client sends it (TLS SNI, the HTTP Host) read as DNS reads it: one trailing dot (the root) removed, so
// "www.contoso.com." is "www.contoso.com". The one place that rule lives: the handshake's selection, the proxy's
// routing and `resolve hostname=` all call it, and so agree.
std::string_view without_root_dot(std::string_view host);

struct HostPort {
  std::string host;  // as typed: netsh stores and shows the case the user wrote
  std::uint16_t port = 0;

  // "<name>:<port>". `what` is "hostnameport" or "scopedccs".
  static Result<HostPort> parse(std::string_view text, std::string_view what);
  std::string str() const { return host + ":" + std::to_string(port); }
  // Host names compare without regard to ASCII case, as Windows compares registry keys and SNI names.
  std::string identity() const;
};

}  // namespace sslbind
