#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "store/protobuf_wire.hpp"

namespace pb = sslbind::store::protobuf;

namespace {

std::vector<pb::Field> read_all(const std::string& message, bool& failed) {
  std::vector<pb::Field> out;
  pb::Reader r(message);
  while (const auto f = r.next()) out.push_back(*f);
  failed = r.failed();
  return out;
}

}  // namespace

TEST_SUITE("store::protobuf") {
  TEST_CASE("varints and bytes are read back as written, at every size a varint takes") {
    const std::vector<std::uint64_t> values{
        0, 1, 127, 128, 300, 16383, 16384, 0xffffffffu, 0x8000000000000000u, 0xffffffffffffffffu};
    std::string message;
    for (std::size_t i = 0; i < values.size(); ++i) {
      pb::put_varint_field(message, static_cast<std::uint32_t>(i + 1), values[i]);
    }
    pb::put_bytes_field(message, 100000, std::string("a\0b", 3));
    pb::put_bytes_field(message, 2, "");
    bool failed = true;
    const auto fields = read_all(message, failed);
    CHECK_FALSE(failed);
    REQUIRE(fields.size() == values.size() + 2);
    for (std::size_t i = 0; i < values.size(); ++i) {
      CHECK(fields[i].number == i + 1);
      CHECK(fields[i].type == pb::WireType::Varint);
      CHECK(fields[i].varint == values[i]);
    }
    CHECK(fields[values.size()].number == 100000);
    CHECK(fields[values.size()].bytes == std::string_view("a\0b", 3));
    CHECK(fields.back().bytes.empty());
  }

  TEST_CASE("fixed-size fields are read past, with their value") {
    const std::string message("\x09\x01\x02\x03\x04\x05\x06\x07\x08\x15\xff\x00\x00\x00\x18\x07", 16);
    bool failed = true;
    const auto fields = read_all(message, failed);
    CHECK_FALSE(failed);
    REQUIRE(fields.size() == 3);
    CHECK(fields[0].type == pb::WireType::Fixed64);
    CHECK(fields[0].varint == 0x0807060504030201u);
    CHECK(fields[1].type == pb::WireType::Fixed32);
    CHECK(fields[1].varint == 0xff);
    CHECK(fields[2].varint == 7);
  }

  TEST_CASE("a message cut at any byte never reads past its end: a cut inside a field fails") {
    std::string message;
    pb::put_varint_field(message, 3, 0xffffffffffffffffu);
    pb::put_bytes_field(message, 1, std::string(200, 'k'));
    pb::put_varint_field(message, 4, 5);
    const std::vector<std::size_t> field_ends{11, 11 + 3 + 200, message.size()};
    for (std::size_t cut = 0; cut <= message.size(); ++cut) {
      CAPTURE(cut);
      bool failed = false;
      // A copy of exactly `cut` bytes, so that AddressSanitizer sees any read past it.
      const std::string part = message.substr(0, cut);
      const auto fields = read_all(part, failed);
      const bool at_boundary = cut == 0 || std::find(field_ends.begin(), field_ends.end(), cut) != field_ends.end();
      CHECK(failed == !at_boundary);
    }
  }

  TEST_CASE("malformed messages fail: long varints, field number 0, groups, lengths past the end") {
    const std::vector<std::string> bad{
        std::string("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12),  // 11-byte varint
        std::string("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 11),      // a 65th bit
        std::string("\x00\x01", 2),                                           // field number 0
        std::string("\x0b\x0c", 2),                                           // a group (start and end)
        std::string("\x0e\x00", 2),                                           // wire type 6
        std::string("\x0a\x05"
                    "abc",
                    5),                                               // length past the end
        std::string("\x0a\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 10),  // a huge length
        std::string("\x0d\x01\x02", 3),                               // fixed32 cut
    };
    for (std::size_t i = 0; i < bad.size(); ++i) {
      CAPTURE(i);
      const std::string& message = bad[i];
      bool failed = false;
      (void)read_all(message, failed);
      CHECK(failed);
    }
  }
}
