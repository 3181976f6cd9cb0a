#include "serve/server_name.hpp"

#include <cctype>

#include "core/hostname.hpp"
#include "core/text.hpp"

namespace sslbind::serve {
namespace {

constexpr std::size_t kMaxHostName = 253;
constexpr unsigned char kHostNameType = 0;  // NameType host_name

bool host_char(unsigned char c) { return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_'; }

std::size_t u16(std::string_view b, std::size_t at) {
  return (static_cast<std::size_t>(static_cast<unsigned char>(b[at])) << 8) | static_cast<unsigned char>(b[at + 1]);
}

}  // namespace

ServerName parse_server_name(std::string_view ext) {
  const ServerName malformed{ServerName::Verdict::Malformed, {}};
  // ServerNameList server_name_list<1..2^16-1>, holding one ServerName: NameType, then HostName opaque<1..2^16-1>.
  if (ext.size() < 2 || u16(ext, 0) != ext.size() - 2 || ext.size() < 2 + 3) return malformed;
  if (static_cast<unsigned char>(ext[2]) != kHostNameType) return malformed;
  const std::size_t n = u16(ext, 3);
  if (n == 0 || 5 + n != ext.size()) return malformed;  // empty, cut short, or followed by more entries
  const std::string_view sent = ext.substr(5, n);
  const ServerName unrecognized{ServerName::Verdict::Unrecognized, {}};
  if (n > kMaxHostName) return unrecognized;
  for (const char c : sent) {
    if (!host_char(static_cast<unsigned char>(c))) return unrecognized;
  }
  const std::string_view host = without_root_dot(sent);
  if (host.empty() || host.back() == '.') return unrecognized;  // "." or "a..": no name
  return {ServerName::Verdict::Name, text::to_lower(host)};
}

}  // namespace sslbind::serve
