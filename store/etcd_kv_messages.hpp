#pragma once
// etcd's v3 range call as gRPC carries it (etcdserverpb.RangeRequest and RangeResponse in etcd's rpc.proto, with
// mvccpb.KeyValue): written and read with store/protobuf_wire.hpp. Only the fields sslbind uses are written; every
// field is read past, and an answer that is not a well-formed RangeResponse is an error naming what is wrong.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sslbind::store {

struct EtcdKeyValue {
  std::string key;
  std::string value;
  std::int64_t mod_revision = 0;
};

struct EtcdRangeRequest {
  std::string key;
  std::string range_end;      // empty: the key alone
  std::int64_t limit = 0;     // 0: no limit
  std::int64_t revision = 0;  // 0: the newest
};
std::string encode_range_request(const EtcdRangeRequest& request);

struct EtcdRangePage {
  std::vector<EtcdKeyValue> kvs;
  std::int64_t revision = 0;  // the store's revision the page was read at
  std::uint64_t cluster_id = 0;
  bool more = false;  // the range holds keys past the page's limit
};
// RegistryUnreadable when `message` is not a RangeResponse.
Result<EtcdRangePage> decode_range_response(std::string_view message);

}  // namespace sslbind::store
