#include <doctest/doctest.h>

#include <string>

#include "store/etcd_kv_messages.hpp"
#include "store/protobuf_wire.hpp"

using namespace sslbind::store;
namespace pb = sslbind::store::protobuf;

namespace {

// A RangeResponse as etcd writes it: the header, the key-values, and fields sslbind reads past.
std::string key_value(const std::string& key, const std::string& value, std::uint64_t mod_revision) {
  std::string kv;
  pb::put_bytes_field(kv, 1, key);
  pb::put_varint_field(kv, 2, 7);  // create_revision
  pb::put_varint_field(kv, 3, mod_revision);
  pb::put_varint_field(kv, 4, 1);  // version
  pb::put_bytes_field(kv, 5, value);
  return kv;
}

std::string response(bool more) {
  std::string header;
  pb::put_varint_field(header, 1, 0xfedcba9876543210u);  // cluster_id
  pb::put_varint_field(header, 2, 42);                   // member_id
  pb::put_varint_field(header, 3, 1234);                 // revision
  pb::put_varint_field(header, 4, 9);                    // raft_term
  std::string out;
  pb::put_bytes_field(out, 1, header);
  pb::put_bytes_field(out, 2, key_value("/sslbind/v1/web/bindings/SslBindingInfo/0.0.0.0:443", "v1", 17));
  pb::put_bytes_field(out, 2, key_value("/sslbind/v1/web/config", std::string("\0{}", 3), 18));
  if (more) pb::put_varint_field(out, 3, 1);
  pb::put_varint_field(out, 4, 5);  // count
  return out;
}

}  // namespace

TEST_SUITE("store::etcd range messages") {
  TEST_CASE("a request carries the key, the range end, the limit and the revision, and nothing it was not given") {
    const std::string full = encode_range_request({"/sslbind/v1/web/", "/sslbind/v1/web0", 50000, 99});
    pb::Reader r(full);
    std::vector<std::uint32_t> numbers;
    while (const auto f = r.next()) {
      numbers.push_back(f->number);
      if (f->number == 1) CHECK(f->bytes == "/sslbind/v1/web/");
      if (f->number == 2) CHECK(f->bytes == "/sslbind/v1/web0");
      if (f->number == 3) CHECK(f->varint == 50000);
      if (f->number == 4) CHECK(f->varint == 99);
    }
    CHECK_FALSE(r.failed());
    CHECK(numbers == std::vector<std::uint32_t>{1, 2, 3, 4});

    const std::string one = encode_range_request({"/k", "", 0, 0});
    CHECK(one == std::string("\x0a\x02/k", 4));
  }

  TEST_CASE("an answer gives its keys, values, mod revisions, revision, cluster and whether more follow") {
    for (const bool more : {false, true}) {
      const auto page = decode_range_response(response(more));
      REQUIRE(page);
      CHECK(page->revision == 1234);
      CHECK(page->cluster_id == 0xfedcba9876543210u);
      CHECK(page->more == more);
      REQUIRE(page->kvs.size() == 2);
      CHECK(page->kvs[0].key == "/sslbind/v1/web/bindings/SslBindingInfo/0.0.0.0:443");
      CHECK(page->kvs[0].value == "v1");
      CHECK(page->kvs[0].mod_revision == 17);
      CHECK(page->kvs[1].value == std::string("\0{}", 3));  // values are bytes
    }
  }

  TEST_CASE("an answer cut at any byte is refused or gives fewer key-values, never a damaged one") {
    const std::string whole = response(true);
    for (std::size_t cut = 0; cut < whole.size(); ++cut) {
      CAPTURE(cut);
      const auto page = decode_range_response(whole.substr(0, cut));
      if (!page) {
        CHECK(page.error().code == sslbind::ErrorCode::RegistryUnreadable);
        continue;
      }
      // A cut between two fields is a shorter message (gRPC's length prefix catches those): what is read is whole.
      for (const EtcdKeyValue& kv : page->kvs) CHECK((kv.value == "v1" || kv.value == std::string("\0{}", 3)));
    }
  }

  TEST_CASE("answers that are not RangeResponses are refused, naming what is wrong") {
    std::string no_header;
    pb::put_bytes_field(no_header, 2, key_value("/k", "v", 1));
    auto page = decode_range_response(no_header);
    REQUIRE_FALSE(page);
    CHECK(page.error().detail == "etcd's range answer is malformed: it has no header with a revision");

    std::string key_as_number = response(false);
    std::string bad_kv;
    pb::put_varint_field(bad_kv, 1, 5);
    pb::put_bytes_field(key_as_number, 2, bad_kv);
    page = decode_range_response(key_as_number);
    REQUIRE_FALSE(page);
    CHECK(page.error().detail == "etcd's range answer is malformed: a key is not bytes");

    std::string no_key = response(false);
    std::string only_value;
    pb::put_bytes_field(only_value, 5, "v");
    pb::put_bytes_field(no_key, 2, only_value);
    page = decode_range_response(no_key);
    REQUIRE_FALSE(page);
    CHECK(page.error().detail == "etcd's range answer is malformed: a key-value has no key");

    CHECK_FALSE(decode_range_response(std::string("\x0a\x05\x18", 3)));
    CHECK_FALSE(decode_range_response("not protobuf at all, just text"));
  }
}
