#pragma once
// The bytes of a saved `netsh http show sslcert` listing, as lines of UTF-8 text. Windows saves it in more than
// one encoding: PowerShell 5.1's `>` writes UTF-16LE with a byte order mark, `Out-File -Encoding utf8` UTF-8 with
// one, cmd.exe after `chcp 65001` and sslbind itself UTF-8 without one. The first bytes choose: FF FE is
// UTF-16LE, FE FF UTF-16BE, EF BB BF or anything else UTF-8. Text that is not what was chosen (a console code page
// such as 437 or 1252, UTF-16 without a byte order mark) is refused with the line and the encoding expected.
// Fed in pieces, so that a listing of 100k bindings is never held whole.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sslbind {

class ListingDecoder {
 public:
  enum class Encoding { Undecided, Utf8, Utf16Le, Utf16Be };

  // Decodes the next bytes and appends every line they complete (without its "\n"; a "\r" stays) to `lines`.
  Status feed(std::string_view bytes, std::vector<std::string>& lines);
  // At the end of the file: the last line if it has no "\n", or an error if the file stops inside a character.
  Status finish(std::vector<std::string>& lines);

 private:
  Status decide(std::vector<std::string>& lines);
  Status feed_utf16(std::string_view bytes, std::vector<std::string>& lines);
  Status append_code_point(std::uint32_t cp, std::vector<std::string>& lines);
  Status end_line(std::vector<std::string>& lines);

  Encoding encoding_ = Encoding::Undecided;
  std::string head_;  // the first bytes, until the byte order mark is known
  std::string line_;  // the line being decoded, in UTF-8
  std::size_t line_number_ = 1;
  std::string odd_byte_;              // UTF-16: half a code unit carried to the next piece
  std::uint16_t high_surrogate_ = 0;  // UTF-16: the first half of a pair
};

}  // namespace sslbind
