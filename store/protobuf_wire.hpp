#pragma once
// The protocol buffers wire format, as much of it as etcd's range call needs (varints and length-delimited fields):
// etcd's gRPC messages are written and read by hand, so that no code generator or protobuf runtime is needed for the
// one call where the JSON gateway is too slow. A reader never reads past its bytes: a truncated or malformed message
// is an error, whatever the peer sent.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sslbind::store::protobuf {

enum class WireType : std::uint8_t { Varint = 0, Fixed64 = 1, Bytes = 2, Fixed32 = 5 };

// Appends fields to `out`.
void put_varint_field(std::string& out, std::uint32_t number, std::uint64_t value);
void put_bytes_field(std::string& out, std::uint32_t number, std::string_view bytes);

struct Field {
  std::uint32_t number = 0;
  WireType type = WireType::Varint;
  std::uint64_t varint = 0;  // Varint, Fixed64, Fixed32
  std::string_view bytes;    // Bytes: a view into the message
};

class Reader {
 public:
  explicit Reader(std::string_view message) : rest_(message) {}
  // The next field; nullopt at the end of the message, or when it is malformed (then failed() is true): a varint
  // longer than ten bytes, a length past the end, a field number of 0, or a group (wire types 3 and 4).
  std::optional<Field> next();
  bool failed() const { return failed_; }

 private:
  std::optional<std::uint64_t> varint();
  std::string_view rest_;
  bool failed_ = false;
};

}  // namespace sslbind::store::protobuf
