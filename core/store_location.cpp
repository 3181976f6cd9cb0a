#include "core/store_location.hpp"

#include <charconv>

#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::string_view kScheme = "etcd://";
constexpr std::string_view kTlsScheme = "etcds://";
constexpr std::size_t kMaxFarm = 64;
constexpr std::size_t kMaxEndpoints = 16;

Error bad(std::string_view text, const std::string& rule) {
  return invalid("--store " + text::quote(text) + ": " + rule +
                 "; the form is etcd://HOST:PORT[,HOST:PORT...]/FARM (etcds:// for TLS), or nothing for the registry "
                 "file");
}

bool farm_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool host_char(char c) { return farm_char(c) || c == ':'; }

}  // namespace

std::string EtcdEndpoint::str() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<StoreLocation> parse_store_location(std::string_view text) {
  StoreLocation out;
  if (text.empty()) return out;
  const bool tls = text.starts_with(kTlsScheme);
  if (!tls && !text.starts_with(kScheme)) return bad(text, "it does not start with etcd:// or etcds://");
  out.tls = tls;
  const std::string_view rest = text.substr(tls ? kTlsScheme.size() : kScheme.size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return bad(text, "it names no farm after the endpoints");
  const std::string_view farm = rest.substr(slash + 1);
  if (farm.empty() || farm.size() > kMaxFarm) return bad(text, "the farm name is 1 to 64 characters");
  for (char c : farm) {
    if (!farm_char(c)) return bad(text, "the farm name is letters, digits, '.', '_' and '-'");
  }
  if (farm == "." || farm == "..") return bad(text, "the farm name is not . or ..");
  out.kind = StoreLocation::Kind::Etcd;
  out.farm = std::string(farm);
  std::string_view list = rest.substr(0, slash);
  while (true) {
    const std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    EtcdEndpoint e;
    std::string_view port;
    if (item.starts_with('[')) {
      const std::size_t close = item.find(']');
      if (close == std::string_view::npos) return bad(text, "an IPv6 address without its closing ]");
      e.host = std::string(item.substr(1, close - 1));
      const std::string_view after = item.substr(close + 1);
      if (!after.empty() && !after.starts_with(':')) return bad(text, "a port follows ] after a colon");
      port = after.empty() ? std::string_view() : after.substr(1);
    } else {
      const std::size_t colon = item.rfind(':');
      if (colon != std::string_view::npos && item.find(':') != colon) {
        return bad(text, "an IPv6 address is written in brackets: [::1]:2379");
      }
      e.host = std::string(item.substr(0, colon));
      port = colon == std::string_view::npos ? std::string_view() : item.substr(colon + 1);
    }
    if (e.host.empty()) return bad(text, "an endpoint without a host");
    for (char c : e.host) {
      if (!host_char(c)) return bad(text, "the host " + text::quote(e.host) + " is not a name or an address");
    }
    if (item.starts_with('[') != (e.host.find(':') != std::string::npos)) {
      return bad(text, "the host " + text::quote(e.host) + " is not a name or an address");
    }
    if (!port.empty()) {
      unsigned value = 0;
      const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
      if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
        return bad(text, "the port " + text::quote(port) + " is not 1-65535");
      }
      e.port = static_cast<std::uint16_t>(value);
    }
    out.endpoints.push_back(std::move(e));
    if (out.endpoints.size() > kMaxEndpoints) return bad(text, "at most 16 endpoints");
    if (comma == std::string_view::npos) break;
    list = list.substr(comma + 1);
  }
  return out;
}

}  // namespace sslbind
