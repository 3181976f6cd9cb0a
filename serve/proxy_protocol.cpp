#include "serve/proxy_protocol.hpp"

namespace sslbind::serve {
namespace {

constexpr char kSignature[] = "\r\n\r\n\0\r\nQUIT\n";
constexpr std::uint8_t kVersion2Proxy = 0x21;
constexpr std::uint8_t kTcp4 = 0x11;
constexpr std::uint8_t kTcp6 = 0x21;
constexpr std::uint8_t kTypeAuthority = 0x02;
constexpr std::uint8_t kTypeSsl = 0x20;
constexpr std::uint8_t kSubtypeSslVersion = 0x21;
constexpr std::uint8_t kSubtypeSslCipher = 0x23;
constexpr std::uint8_t kClientSsl = 0x01;

void put16(std::string& out, std::size_t v) {
  out += static_cast<char>((v >> 8) & 0xFF);
  out += static_cast<char>(v & 0xFF);
}

void tlv(std::string& out, std::uint8_t type, const std::string& value) {
  out += static_cast<char>(type);
  put16(out, value.size());
  out += value;
}

void address(std::string& out, const IpAddress& a) {
  const std::size_t n = a.family() == IpAddress::Family::V4 ? 4 : 16;
  out.append(reinterpret_cast<const char*>(a.bytes().data()), n);
}

}  // namespace

std::string proxy_v2_header(const ProxyHeaderInfo& info) {
  std::string body;
  address(body, info.client.address);
  address(body, info.server.address);
  put16(body, info.client.port);
  put16(body, info.server.port);
  if (!info.sni.empty()) tlv(body, kTypeAuthority, info.sni);
  std::string ssl;
  ssl += static_cast<char>(kClientSsl);
  ssl.append(4, '\0');  // verify: 0, the client presented a certificate that verified, or none was asked for
  tlv(ssl, kSubtypeSslVersion, info.tls_version);
  tlv(ssl, kSubtypeSslCipher, info.cipher);
  tlv(body, kTypeSsl, ssl);

  std::string out(kSignature, sizeof kSignature - 1);
  out += static_cast<char>(kVersion2Proxy);
  out += static_cast<char>(info.client.address.family() == IpAddress::Family::V4 ? kTcp4 : kTcp6);
  put16(out, body.size());
  return out + body;
}

}  // namespace sslbind::serve
