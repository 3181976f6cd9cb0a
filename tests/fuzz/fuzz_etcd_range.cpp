// etcd's range answer as the gRPC listing reads it (store/etcd_kv_messages.hpp): whatever bytes an endpoint sends, the
// decoder refuses them or returns key-values whose bytes lie within the answer, and never reads past its end.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "store/etcd_kv_messages.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string message(reinterpret_cast<const char*>(data), size);
  const auto page = sslbind::store::decode_range_response(message);
  if (!page) return 0;
  std::size_t bytes = 0;
  for (const auto& kv : page->kvs) {
    if (kv.key.empty()) std::abort();  // a key-value without a key is refused
    bytes += kv.key.size() + kv.value.size();
  }
  if (bytes > size) std::abort();
  return 0;
}
