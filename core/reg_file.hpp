#pragma once
// Reads a Registry Editor file (`reg export`, regedit's Export, sslbind's `export reg`) into its keys and typed
// values. The file's bytes are decoded first as listings are (ListingDecoder: UTF-16LE with its byte order mark, as
// regedit writes version 5 files, or UTF-8); this reads the lines. Errors name the line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sslbind {

// The value types a .reg file writes: "string", dword:, hex: (REG_BINARY) and hex(N): for the others.
enum class RegType : std::uint32_t {
  None = 0,
  Sz = 1,
  ExpandSz = 2,
  Binary = 3,
  Dword = 4,
  MultiSz = 7,
  Qword = 11,
};

struct RegValue {
  std::size_t line = 0;
  std::string name;                 // "" for the key's default value (@)
  std::uint32_t type = 0;           // a RegType, or another number a hex(N): gave
  std::vector<std::uint8_t> bytes;  // the bytes of hex: and hex(N): data; empty for "text" and dword: values
  // Decoded, for the types sslbind reads: Sz and ExpandSz, Dword, MultiSz.
  std::string text;
  std::uint32_t dword = 0;
  std::vector<std::string> strings;
};

struct RegKey {
  std::size_t line = 0;
  std::string path;  // as written: "HKEY_LOCAL_MACHINE\\SYSTEM\\..."
  std::vector<RegValue> values;
};

// The keys of a decoded .reg file in file order. The first line that is not blank must be "Windows Registry Editor
// Version 5.00" or "REGEDIT4". A key or a value to delete ([-key], "name"=-) is refused: an export has none.
Result<std::vector<RegKey>> read_reg_file(const std::vector<std::string>& lines);

}  // namespace sslbind
