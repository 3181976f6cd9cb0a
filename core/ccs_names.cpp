#include "core/ccs_names.hpp"

#include "core/hostname.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::string_view kExtension = ".pfx";
constexpr std::size_t kMaxHostName = 253;

}  // namespace

Result<CcsFileNames> ccs_file_names(std::string_view host) {
  const std::string shown = text::quote(host.substr(0, 64)) + (host.size() > 64 ? "..." : "");
  auto refuse = [&](std::string_view why) {
    return invalid("host name " + shown + " " + std::string(why) + "; the Central Certificate Store is not searched");
  };
  // The path-safety checks come first and by name, so that an attempt is reported as what it is.
  if (host.find('\0') != std::string_view::npos) return refuse("contains a NUL byte");
  if (host.find('/') != std::string_view::npos || host.find('\\') != std::string_view::npos) {
    return refuse("contains a path separator");
  }
  if (host.find("..") != std::string_view::npos) return refuse("contains '..'");
  if (host.size() > kMaxHostName) {
    return refuse("is " + std::to_string(host.size()) + " bytes long; a host name has at most 253");
  }
  if (auto s = validate_hostname(host, "hostname", /*allow_wildcard=*/false); !s) {
    return Error(ErrorCode::InvalidParameter, s.error().detail + "; the Central Certificate Store is not searched");
  }
  const std::string lower = text::to_lower(host);
  CcsFileNames names{lower + std::string(kExtension), std::nullopt};
  const std::size_t dot = lower.find('.');
  if (dot != std::string::npos && lower.find('.', dot + 1) != std::string::npos) {
    names.wildcard = "_" + lower.substr(dot) + std::string(kExtension);
  }
  return names;
}

std::optional<std::string> ccs_hostname_of_file(std::string_view file_name) {
  if (file_name.size() <= kExtension.size() ||
      !text::iequals(file_name.substr(file_name.size() - kExtension.size()), kExtension)) {
    return std::nullopt;
  }
  std::string host(file_name.substr(0, file_name.size() - kExtension.size()));
  if (host.starts_with("_.")) host[0] = '*';
  if (!validate_hostname(host, "file", /*allow_wildcard=*/true)) return std::nullopt;
  return host;
}

}  // namespace sslbind
