#include "core/serve_command.hpp"

#include <array>

#include "core/key_values.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::array<std::string_view, 12> kServeParams{
    "threads",     "backend",         "proxyprotocol", "admin",           "maxconnections", "handshaketimeout",
    "idletimeout", "responsetimeout", "accesslog",     "accesslogformat", "metrics",        "ccslistingtimeout"};
constexpr std::uint64_t kMaxTimeout = 86'400;
constexpr std::array<std::string_view, 1> kFrontendParams{"admin"};
constexpr unsigned kMaxThreads = 256;
constexpr std::uint64_t kMaxConnections = 1'000'000;

Result<std::vector<IpPort>> parse_backends(const std::string& list) {
  std::vector<IpPort> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string one = list.substr(start, comma - start);
    auto backend = IpPort::parse(one);
    if (!backend) {
      return invalid("backend " + text::quote(one) +
                     " is not an IP:port (host names are not resolved, so that no lookup can stall the front end): " +
                     backend.error().detail);
    }
    if (backend->address.is_wildcard() || backend->port == 0) {
      return invalid("backend " + text::quote(one) + " is a wildcard; give the address the web worker listens on");
    }
    out.push_back(*backend);
    start = comma + 1;
  }
  return out;
}

}  // namespace

std::span<const std::string_view> serve_parameters() { return kServeParams; }
std::span<const std::string_view> frontend_parameters() { return kFrontendParams; }

Result<ServeCommand> parse_serve_arguments(std::span<const std::string> arguments) {
  auto kv = KeyValues::parse(arguments, kServeParams, "serve", "backend=10.0.0.21:80");
  if (!kv) return kv.error();
  ServeCommand cmd;
  if (auto threads = kv->get("threads")) {
    const auto n = text::parse_decimal(*threads, kMaxThreads);
    if (!n) return invalid("threads " + text::quote(*threads) + " is not a number from 0 (one per core) to 256");
    cmd.threads = static_cast<unsigned>(*n);
  }
  if (auto backends = kv->get("backend")) {
    auto parsed = parse_backends(*backends);
    if (!parsed) return parsed.error();
    cmd.backends = std::move(*parsed);
  }
  if (auto proxy = kv->get("proxyprotocol")) {
    if (text::iequals(*proxy, "enable"))
      cmd.proxy_protocol = true;
    else if (!text::iequals(*proxy, "disable"))
      return invalid("proxyprotocol " + text::quote(*proxy) + " is neither enable nor disable");
    if (cmd.proxy_protocol && cmd.backends.empty()) return invalid("proxyprotocol=enable needs backend=<ip:port>");
  }
  if (auto admin = kv->get("admin")) {
    if (auto s = check_path(*admin, "admin"); !s) return s.error();
    cmd.admin = *admin;
  }
  if (auto limit = kv->get("maxconnections")) {
    const auto n = text::parse_decimal(*limit, kMaxConnections);
    if (!n || *n == 0) return invalid("maxconnections " + text::quote(*limit) + " is not a number from 1 to 1000000");
    cmd.max_connections = static_cast<std::uint32_t>(*n);
  }
  for (auto [name, field] :
       {std::pair{"handshaketimeout", &cmd.handshake_timeout}, std::pair{"idletimeout", &cmd.idle_timeout},
        std::pair{"responsetimeout", &cmd.response_timeout},
        std::pair{"ccslistingtimeout", &cmd.ccs_listing_timeout}}) {
    if (auto value = kv->get(name)) {
      const auto n = text::parse_decimal(*value, kMaxTimeout);
      if (!n || *n == 0)
        return invalid(std::string(name) + " " + text::quote(*value) + " is not a number of seconds from 1 to 86400");
      *field = static_cast<std::uint32_t>(*n);
    }
  }
  if (auto log = kv->get("accesslog")) {
    if (auto s = check_path(*log, "accesslog"); !s) return s.error();
    cmd.access_log = *log;
  }
  if (auto format = kv->get("accesslogformat")) {
    if (text::iequals(*format, "json"))
      cmd.access_log_json = true;
    else if (!text::iequals(*format, "text"))
      return invalid("accesslogformat " + text::quote(*format) + " is neither text nor json");
    if (!cmd.access_log) return invalid("accesslogformat= needs accesslog=<file>|stderr");
  }
  if (auto metrics = kv->get("metrics")) {
    // A port alone listens on loopback: counters are for the operator's scraper, not for the sites' visitors.
    const bool port_only = metrics->find_first_not_of("0123456789") == std::string::npos;
    auto address = IpPort::parse(port_only ? "127.0.0.1:" + *metrics : *metrics);
    if (!address || address->port == 0) {
      return invalid("metrics " + text::quote(*metrics) +
                     " is not a port or an IP:port to answer GET /metrics on, such as 9100 or 127.0.0.1:9100");
    }
    cmd.metrics = *address;
  }
  return cmd;
}

Result<std::optional<std::string>> parse_frontend_arguments(std::span<const std::string> arguments) {
  auto kv = KeyValues::parse(arguments, kFrontendParams, "show frontend", "admin=/run/sslbind/admin.sock");
  if (!kv) return kv.error();
  auto admin = kv->get("admin");
  if (admin) {
    if (auto s = check_path(*admin, "admin"); !s) return s.error();
  }
  return admin;
}

}  // namespace sslbind
