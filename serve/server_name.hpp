#pragma once
// The server_name extension of a ClientHello (RFC 6066, section 3), read as strictly as OpenSSL reads it after the
// ClientHello callback, so that the callback's verdict and the alert agree with it (RFC 8446, 6.2):
//   Malformed (decode_error): lengths that do not add up, an empty list, an entry cut short, an empty name, a name
//     type other than host_name, more than one entry;
//   Unrecognized (unrecognized_name): a host_name that is no host name (a byte outside letters, digits, '-', '.' and
//     '_', more than 253 bytes, "." alone or an empty label at its end).
// A pure function of the extension's bytes.
#include <string>
#include <string_view>

namespace sslbind::serve {

struct ServerName {
  enum class Verdict { Name, Malformed, Unrecognized } verdict = Verdict::Malformed;
  std::string name;  // Name: lower case, without a root dot
};

ServerName parse_server_name(std::string_view extension);

}  // namespace sslbind::serve
