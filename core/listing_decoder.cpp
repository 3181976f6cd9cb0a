#include "core/listing_decoder.hpp"

#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::string_view kUtf8Mark = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeMark = "\xFF\xFE";
constexpr std::string_view kUtf16BeMark = "\xFE\xFF";
constexpr std::string_view kHowToSave =
    "a listing is read as UTF-8, or as UTF-16 with a byte order mark (PowerShell's > and Out-File write one; "
    "in cmd.exe run chcp 65001 before netsh)";

}  // namespace

Status ListingDecoder::feed(std::string_view bytes, std::vector<std::string>& lines) {
  if (encoding_ == Encoding::Undecided) {
    head_.append(bytes);
    if (head_.size() < kUtf8Mark.size()) return Ok{};  // not yet enough to tell
    return decide(lines);
  }
  if (encoding_ != Encoding::Utf8) return feed_utf16(bytes, lines);
  for (const char c : bytes) {
    if (c == '\n') {
      if (auto s = end_line(lines); !s) return s;
    } else {
      line_ += c;
    }
  }
  return Ok{};
}

Status ListingDecoder::decide(std::vector<std::string>& lines) {
  std::string head = std::move(head_);
  head_.clear();
  std::string_view rest = head;
  if (rest.starts_with(kUtf16LeMark)) {
    encoding_ = Encoding::Utf16Le;
    rest.remove_prefix(kUtf16LeMark.size());
  } else if (rest.starts_with(kUtf16BeMark)) {
    encoding_ = Encoding::Utf16Be;
    rest.remove_prefix(kUtf16BeMark.size());
  } else {
    encoding_ = Encoding::Utf8;
    if (rest.starts_with(kUtf8Mark)) rest.remove_prefix(kUtf8Mark.size());
  }
  return feed(rest, lines);
}

Status ListingDecoder::feed_utf16(std::string_view bytes, std::vector<std::string>& lines) {
  std::string joined;
  if (!odd_byte_.empty()) {
    joined = odd_byte_ + std::string(bytes);
    odd_byte_.clear();
    bytes = joined;
  }
  const bool little = encoding_ == Encoding::Utf16Le;
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
    const auto unit = static_cast<std::uint16_t>(little ? (b1 << 8) | b0 : (b0 << 8) | b1);
    if (high_surrogate_ != 0) {
      if (unit < 0xDC00 || unit > 0xDFFF) {
        return invalid("line " + std::to_string(line_number_) + ": the UTF-16 surrogate " +
                       text::hex_literal(high_surrogate_, 4) +
                       " is not followed by its pair; the file is damaged or not UTF-16");
      }
      const std::uint32_t cp = 0x10000 + ((static_cast<std::uint32_t>(high_surrogate_) - 0xD800) << 10) +
                               (static_cast<std::uint32_t>(unit) - 0xDC00);
      high_surrogate_ = 0;
      if (auto s = append_code_point(cp, lines); !s) return s;
      continue;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      high_surrogate_ = unit;
      continue;
    }
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return invalid("line " + std::to_string(line_number_) + ": the UTF-16 surrogate " + text::hex_literal(unit, 4) +
                     " has no first half; the file is damaged or not UTF-16");
    }
    if (auto s = append_code_point(unit, lines); !s) return s;
  }
  if (i < bytes.size()) odd_byte_ = std::string(1, bytes[i]);
  return Ok{};
}

Status ListingDecoder::append_code_point(std::uint32_t cp, std::vector<std::string>& lines) {
  if (cp == '\n') return end_line(lines);
  text::append_utf8(line_, cp);
  return Ok{};
}

Status ListingDecoder::end_line(std::vector<std::string>& lines) {
  if (encoding_ == Encoding::Utf8) {
    if (line_.find('\0') != std::string::npos) {
      return invalid("line " + std::to_string(line_number_) +
                     " holds NUL bytes: it looks like UTF-16 without a byte order mark; " + std::string(kHowToSave));
    }
    if (const auto at = text::first_invalid_utf8(line_)) {
      return invalid("line " + std::to_string(line_number_) + " is not UTF-8 (byte " +
                     text::hex_literal(static_cast<unsigned char>(line_[*at]), 2) + " at offset " +
                     std::to_string(*at) + "; a console code page such as 437 or 1252?): " + std::string(kHowToSave));
    }
  }
  lines.push_back(std::move(line_));
  line_.clear();
  ++line_number_;
  return Ok{};
}

Status ListingDecoder::finish(std::vector<std::string>& lines) {
  if (encoding_ == Encoding::Undecided && !head_.empty()) {
    if (auto s = decide(lines); !s) return s;
  }
  if (!odd_byte_.empty() || high_surrogate_ != 0) {
    return invalid("line " + std::to_string(line_number_) +
                   ": the file ends inside a UTF-16 character; it is cut or not UTF-16");
  }
  if (!line_.empty()) return end_line(lines);
  return Ok{};
}

}  // namespace sslbind
