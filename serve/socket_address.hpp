#pragma once
// Between Asio's endpoints and core's addresses.
#include <asio/ip/tcp.hpp>

#include "core/endpoint.hpp"
#include "serve/clock.hpp"  // for the files that use both

namespace sslbind::serve {

// A dual-stack socket shows IPv4 clients as ::ffff:a.b.c.d; they come out as IPv4, as HTTP.SYS sees them.
IpPort ip_port_of(const asio::ip::tcp::endpoint& endpoint);
asio::ip::tcp::endpoint endpoint_of(const IpPort& address);

}  // namespace sslbind::serve
