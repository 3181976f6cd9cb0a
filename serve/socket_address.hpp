#pragma once
// Between Asio's endpoints and core's addresses, and the steady clock in milliseconds the timeouts count in.
#include <asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>

#include "core/endpoint.hpp"

namespace sslbind::serve {

// A dual-stack socket shows IPv4 clients as ::ffff:a.b.c.d; they come out as IPv4, as HTTP.SYS sees them.
IpPort ip_port_of(const asio::ip::tcp::endpoint& endpoint);
asio::ip::tcp::endpoint endpoint_of(const IpPort& address);

inline std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace sslbind::serve
