#pragma once
// `sslbind serve [threads=N] [backend=IP:PORT[,IP:PORT...]] [proxyprotocol=enable|disable] [admin=SOCKET]
//  [maxconnections=N] [handshaketimeout=S] [idletimeout=S] [responsetimeout=S] [accesslog=PATH|stderr]
//  [accesslogformat=text|json] [metrics=[ADDRESS:]PORT]`: the TLS front end's options, in sslbind's key=value style.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/endpoint.hpp"
#include "core/result.hpp"

namespace sslbind {

struct ServeCommand {
  unsigned threads = 0;              // 0: one I/O thread per core
  std::vector<IpPort> backends;      // empty: answer every request with the built-in page
  bool proxy_protocol = false;       // send a PROXY protocol v2 header to the backend first
  std::optional<std::string> admin;  // the admin socket; absent: <root>/admin.sock
  std::uint32_t max_connections = 10000;
  std::uint32_t handshake_timeout = 10;   // seconds for a client to finish its handshake (slowloris)
  std::uint32_t idle_timeout = 60;        // seconds without a byte either way
  std::uint32_t response_timeout = 120;   // seconds a web worker may take to start its response (ARR's default)
  std::optional<std::string> access_log;  // a file, or "stderr"; absent: no access log
  bool access_log_json = false;           // accesslogformat=json: one JSON object per line
  std::uint32_t ccs_listing_timeout = 5;  // seconds a handshake may wait for the CCS folder's first listing
  std::optional<IpPort> metrics;          // where GET /metrics answers (Prometheus); a port alone is 127.0.0.1's
};

std::span<const std::string_view> serve_parameters();
Result<ServeCommand> parse_serve_arguments(std::span<const std::string> arguments);

// `sslbind show frontend [admin=SOCKET]`.
std::span<const std::string_view> frontend_parameters();
Result<std::optional<std::string>> parse_frontend_arguments(std::span<const std::string> arguments);

}  // namespace sslbind
