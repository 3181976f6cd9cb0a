#include "store/etcd_kv_messages.hpp"

#include "store/protobuf_wire.hpp"

namespace sslbind::store {
namespace {

using protobuf::Field;
using protobuf::Reader;
using protobuf::WireType;

// Field numbers of etcd's rpc.proto and kv.proto.
namespace range_request {
constexpr std::uint32_t kKey = 1, kRangeEnd = 2, kLimit = 3, kRevision = 4;
}
namespace range_response {
constexpr std::uint32_t kHeader = 1, kKvs = 2, kMore = 3;
}
namespace response_header {
constexpr std::uint32_t kClusterId = 1, kRevision = 3;
}
namespace key_value {
constexpr std::uint32_t kKey = 1, kModRevision = 3, kValue = 5;
}

Error unreadable(const std::string& what) {
  return Error(ErrorCode::RegistryUnreadable, "etcd's range answer is malformed: " + what);
}

// A field of the expected wire type, or an error naming it.
bool typed(const Field& f, WireType type) { return f.type == type; }

Status read_header(std::string_view bytes, EtcdRangePage& page) {
  Reader r(bytes);
  while (const auto f = r.next()) {
    if (f->number == response_header::kClusterId && typed(*f, WireType::Varint)) page.cluster_id = f->varint;
    if (f->number == response_header::kRevision && typed(*f, WireType::Varint)) {
      page.revision = static_cast<std::int64_t>(f->varint);
    }
  }
  if (r.failed()) return unreadable("its header");
  return Ok{};
}

Result<EtcdKeyValue> read_key_value(std::string_view bytes) {
  EtcdKeyValue kv;
  Reader r(bytes);
  while (const auto f = r.next()) {
    switch (f->number) {
      case key_value::kKey:
        if (!typed(*f, WireType::Bytes)) return unreadable("a key is not bytes");
        kv.key = std::string(f->bytes);
        break;
      case key_value::kValue:
        if (!typed(*f, WireType::Bytes)) return unreadable("a value is not bytes");
        kv.value = std::string(f->bytes);
        break;
      case key_value::kModRevision:
        if (!typed(*f, WireType::Varint)) return unreadable("a mod_revision is not a number");
        kv.mod_revision = static_cast<std::int64_t>(f->varint);
        break;
      default: break;
    }
  }
  if (r.failed()) return unreadable("a key-value is cut or damaged");
  if (kv.key.empty()) return unreadable("a key-value has no key");
  return kv;
}

}  // namespace

std::string encode_range_request(const EtcdRangeRequest& request) {
  std::string out;
  protobuf::put_bytes_field(out, range_request::kKey, request.key);
  if (!request.range_end.empty()) protobuf::put_bytes_field(out, range_request::kRangeEnd, request.range_end);
  if (request.limit > 0) {
    protobuf::put_varint_field(out, range_request::kLimit, static_cast<std::uint64_t>(request.limit));
  }
  if (request.revision > 0) {
    protobuf::put_varint_field(out, range_request::kRevision, static_cast<std::uint64_t>(request.revision));
  }
  return out;
}

Result<EtcdRangePage> decode_range_response(std::string_view message) {
  EtcdRangePage page;
  bool header = false;
  Reader r(message);
  while (const auto f = r.next()) {
    if (f->number == range_response::kHeader) {
      if (!typed(*f, WireType::Bytes)) return unreadable("its header is not a message");
      if (auto s = read_header(f->bytes, page); !s) return s.error();
      header = true;
    } else if (f->number == range_response::kKvs) {
      if (!typed(*f, WireType::Bytes)) return unreadable("a key-value is not a message");
      auto kv = read_key_value(f->bytes);
      if (!kv) return kv.error();
      page.kvs.push_back(std::move(*kv));
    } else if (f->number == range_response::kMore) {
      if (!typed(*f, WireType::Varint)) return unreadable("'more' is not a boolean");
      page.more = f->varint != 0;
    }
  }
  if (r.failed()) return unreadable("it is cut or damaged");
  if (!header || page.revision <= 0) return unreadable("it has no header with a revision");
  return page;
}

}  // namespace sslbind::store
