#pragma once
// The PROXY protocol version 2 header (HAProxy's doc/proxy-protocol.txt) that tells a backend who the client is:
// the client and server addresses, and TLVs for the SNI (PP2_TYPE_AUTHORITY) and the TLS session (PP2_TYPE_SSL with
// the version and cipher). nginx, HAProxy and Apache (mod_remoteip) read it; IIS does not.
#include <cstdint>
#include <string>

#include "core/endpoint.hpp"

namespace sslbind::serve {

struct ProxyHeaderInfo {
  IpPort client;
  IpPort server;            // the address the client connected to; the same family as `client`
  std::string sni;          // empty: no AUTHORITY TLV
  std::string tls_version;  // "TLSv1.3"
  std::string cipher;       // "TLS_AES_256_GCM_SHA384"
};

std::string proxy_v2_header(const ProxyHeaderInfo& info);

}  // namespace sslbind::serve
