#pragma once
// Where the registry lives, as --store or SSLBIND_STORE names it: the file under the root (the default), or a farm's
// shared registry on etcd, "etcd://HOST:PORT[,HOST:PORT...]/FARM" ("etcds://" for TLS). The farm name becomes a key
// prefix, so it is a plain word.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sslbind {

struct EtcdEndpoint {
  std::string host;  // a name or an address; an IPv6 address without its brackets
  std::uint16_t port = 2379;
  std::string str() const;  // "127.0.0.1:2379", "[::1]:2379"
};

struct StoreLocation {
  enum class Kind { File, Etcd };
  Kind kind = Kind::File;
  std::vector<EtcdEndpoint> endpoints;  // Etcd
  bool tls = false;                     // etcds://: TLS to every endpoint
  std::string farm;                     // Etcd: 1-64 of A-Z a-z 0-9 . _ -
};

// An empty text is the file. Errors are InvalidParameter naming the text and the rule.
Result<StoreLocation> parse_store_location(std::string_view text);

}  // namespace sslbind
