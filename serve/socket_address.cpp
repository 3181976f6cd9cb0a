#include "serve/socket_address.hpp"

#include <algorithm>

namespace sslbind::serve {

IpPort ip_port_of(const asio::ip::tcp::endpoint& ep) {
  asio::ip::address a = ep.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  if (a.is_v4()) return {IpAddress::v4(a.to_v4().to_bytes()), ep.port()};
  return {IpAddress::v6(a.to_v6().to_bytes()), ep.port()};
}

asio::ip::tcp::endpoint endpoint_of(const IpPort& p) {
  if (p.address.family() == IpAddress::Family::V4) {
    asio::ip::address_v4::bytes_type b{};
    std::copy_n(p.address.bytes().begin(), 4, b.begin());
    return {asio::ip::address_v4(b), p.port};
  }
  return {asio::ip::address_v6(p.address.bytes()), p.port};
}

}  // namespace sslbind::serve
