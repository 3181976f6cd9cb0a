#include "core/listing_decoder.hpp"

#include <doctest/doctest.h>

using namespace sslbind;

namespace {

std::string utf16(std::u16string_view text, bool little) {
  std::string out = little ? "\xFF\xFE" : "\xFE\xFF";
  for (char16_t u : text) {
    const char lo = static_cast<char>(u & 0xFF);
    const char hi = static_cast<char>(u >> 8);
    out += little ? std::string{lo, hi} : std::string{hi, lo};
  }
  return out;
}

// Feeds `bytes` in pieces of `piece` bytes, as a file is read.
Result<std::vector<std::string>> decode(std::string_view bytes, std::size_t piece = 1) {
  ListingDecoder decoder;
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    if (auto s = decoder.feed(bytes.substr(at, piece), lines); !s) return s.error();
  }
  if (auto s = decoder.finish(lines); !s) return s.error();
  return lines;
}

const std::vector<std::string> kExpected{"", "    IP:port : 0.0.0.0:443\r", "    Hostname:port : www.müller.de:443\r",
                                         "    Ctl Identifier : 😀"};

}  // namespace

TEST_CASE("listings in UTF-16LE and UTF-16BE with a byte order mark, UTF-8 with or without one") {
  const std::u16string text =
      u"\r\n    IP:port : 0.0.0.0:443\r\n    Hostname:port : www.müller.de:443\r\n"
      u"    Ctl Identifier : 😀";
  const std::string utf8 =
      "\n    IP:port : 0.0.0.0:443\r\n    Hostname:port : www.müller.de:443\r\n"
      "    Ctl Identifier : 😀";
  for (std::size_t piece : {1UL, 2UL, 3UL, 7UL, 4096UL}) {
    CAPTURE(piece);
    for (const auto& bytes : {utf16(text, true), utf16(text, false), std::string("\xEF\xBB\xBF") + utf8, utf8}) {
      auto lines = decode(bytes, piece);
      REQUIRE(lines);
      // The UTF-16 forms start with "\r\n", the UTF-8 ones with "\n": the same lines once "\r" is trimmed.
      REQUIRE(lines->size() == kExpected.size());
      for (std::size_t i = 1; i < kExpected.size(); ++i) CHECK((*lines)[i] == kExpected[i]);
    }
  }
}

TEST_CASE("listings in another encoding are refused with the line and the encoding expected") {
  // Windows-1252 (cmd.exe's console code page on a western server): "müller" with 0xFC.
  auto r = decode("SSL Certificate bindings:\n    Hostname:port : www.m\xFCller.de:443\n");
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.find("line 2 is not UTF-8 (byte 0xFC at offset 25") == 0);
  CHECK(r.error().detail.find("UTF-16 with a byte order mark") != std::string::npos);
  // UTF-16LE without its byte order mark.
  std::string bare = utf16(u"SSL Certificate bindings:\r\n", true).substr(2);
  r = decode(bare);
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.find("line 1 holds NUL bytes: it looks like UTF-16 without a byte order mark") == 0);
  // Damaged UTF-16: a lone surrogate, a cut pair, an odd number of bytes.
  r = decode(utf16(u"a\xDC00", true));
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.find("the UTF-16 surrogate 0xDC00 has no first half") != std::string::npos);
  r =
      decode(utf16(u"a\xD83D"
                   u"b",
                   false));
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.find("the UTF-16 surrogate 0xD83D is not followed by its pair") != std::string::npos);
  r = decode(utf16(u"ab", true) + "x");
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.find("ends inside a UTF-16 character") != std::string::npos);
  r = decode(utf16(u"a\xD83D", true));
  REQUIRE_FALSE(r);
}

TEST_CASE("short and empty listings") {
  auto r = decode("");
  REQUIRE(r);
  CHECK(r->empty());
  r = decode("\xFF\xFE");
  REQUIRE(r);
  CHECK(r->empty());
  r = decode("a");
  REQUIRE(r);
  CHECK(*r == std::vector<std::string>{"a"});
  r = decode("\xEF\xBB\xBF");
  REQUIRE(r);
  CHECK(r->empty());
}
