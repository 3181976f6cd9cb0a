#include "store/protobuf_wire.hpp"

namespace sslbind::store::protobuf {
namespace {

void put_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void put_tag(std::string& out, std::uint32_t number, WireType type) {
  put_varint(out, (std::uint64_t{number} << 3) | static_cast<std::uint64_t>(type));
}

}  // namespace

void put_varint_field(std::string& out, std::uint32_t number, std::uint64_t value) {
  put_tag(out, number, WireType::Varint);
  put_varint(out, value);
}

void put_bytes_field(std::string& out, std::uint32_t number, std::string_view bytes) {
  put_tag(out, number, WireType::Bytes);
  put_varint(out, bytes.size());
  out.append(bytes);
}

std::optional<std::uint64_t> Reader::varint() {
  std::uint64_t value = 0;
  for (unsigned i = 0; i < 10 && i < rest_.size(); ++i) {
    const auto byte = static_cast<std::uint8_t>(rest_[i]);
    // The tenth byte holds the 64th bit only; anything more is not a 64-bit value.
    if (i == 9 && byte > 1) break;
    value |= std::uint64_t{byte & 0x7fu} << (7 * i);
    if ((byte & 0x80) == 0) {
      rest_.remove_prefix(i + 1);
      return value;
    }
  }
  failed_ = true;
  return std::nullopt;
}

std::optional<Field> Reader::next() {
  if (failed_ || rest_.empty()) return std::nullopt;
  const auto tag = varint();
  if (!tag) return std::nullopt;
  Field f;
  const std::uint64_t number = *tag >> 3;
  if (number == 0 || number > 0x1fffffff) {
    failed_ = true;
    return std::nullopt;
  }
  f.number = static_cast<std::uint32_t>(number);
  const auto fixed = [&](std::size_t size) -> bool {
    if (rest_.size() < size) return false;
    for (std::size_t i = 0; i < size; ++i) f.varint |= std::uint64_t{static_cast<std::uint8_t>(rest_[i])} << (8 * i);
    rest_.remove_prefix(size);
    return true;
  };
  switch (*tag & 7) {
    case 0: {
      f.type = WireType::Varint;
      const auto value = varint();
      if (!value) return std::nullopt;
      f.varint = *value;
      return f;
    }
    case 1:
      f.type = WireType::Fixed64;
      if (fixed(8)) return f;
      break;
    case 5:
      f.type = WireType::Fixed32;
      if (fixed(4)) return f;
      break;
    case 2: {
      f.type = WireType::Bytes;
      const auto size = varint();
      if (!size) return std::nullopt;
      if (*size > rest_.size()) break;
      f.bytes = rest_.substr(0, static_cast<std::size_t>(*size));
      rest_.remove_prefix(static_cast<std::size_t>(*size));
      return f;
    }
    default: break;  // groups (3, 4) and the unassigned types
  }
  failed_ = true;
  return std::nullopt;
}

}  // namespace sslbind::store::protobuf
