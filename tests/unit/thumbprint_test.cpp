#include <doctest/doctest.h>

#include "core/thumbprint.hpp"

using namespace sslbind;

namespace {
const char* kHash = "40db5bb1a2c3d4e5f60718293a4b5c6d7e8f9012";
}

TEST_CASE("thumbprint: 40 hex digits in any case, normalised to lower case") {
  CHECK(Thumbprint::parse(kHash)->hex() == kHash);
  CHECK(Thumbprint::parse("40DB5BB1A2C3D4E5F60718293A4B5C6D7E8F9012")->hex() == kHash);
}

TEST_CASE("thumbprint: spaces and colons between digits are tolerated") {
  CHECK(Thumbprint::parse("40 db 5b b1 a2 c3 d4 e5 f6 07 18 29 3a 4b 5c 6d 7e 8f 90 12")->hex() == kHash);
  CHECK(Thumbprint::parse("40:DB:5B:B1:A2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90:12")->hex() == kHash);
  CHECK(Thumbprint::parse(" 40db5bb1a2c3d4e5f60718293a4b5c6d7e8f9012 ")->hex() == kHash);
}

TEST_CASE("thumbprint: wrong length names the count") {
  auto r = Thumbprint::parse("40db5b");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::InvalidParameter);
  CHECK(r.error().detail == "certhash '40db5b' has 6 hex digits; a SHA-1 thumbprint has exactly 40");
  CHECK_FALSE(Thumbprint::parse(""));
  CHECK_FALSE(Thumbprint::parse(std::string(kHash) + "00"));
}

TEST_CASE("thumbprint: a non-hex character is named with its position") {
  auto r = Thumbprint::parse("g0db5bb1a2c3d4e5f60718293a4b5c6d7e8f9012");
  REQUIRE_FALSE(r);
  CHECK(r.error().detail ==
        "certhash 'g0db5bb1a2c3d4e5f60718293a4b5c6d7e8f9012' contains 'g' at position 1; a thumbprint has only the "
        "hex digits 0-9 and a-f");
  CHECK_FALSE(Thumbprint::parse("0x40db5bb1a2c3d4e5f60718293a4b5c6d7e8f90"));
}

TEST_CASE("thumbprint: the invisible U+200E mark from the certificate dialog is detected and named") {
  auto r = Thumbprint::parse(std::string("\xE2\x80\x8E") + kHash);
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.find("U+200E LEFT-TO-RIGHT MARK at position 1") != std::string::npos);
  CHECK(r.error().detail.find("certificate dialog") != std::string::npos);
  auto mid = Thumbprint::parse(std::string("40db") + "\xE2\x80\x8E" + (kHash + 4));
  REQUIRE_FALSE(mid);
  CHECK(mid.error().detail.find("at position 5") != std::string::npos);
}

TEST_CASE("thumbprint: other non-ASCII and invalid UTF-8 are refused") {
  CHECK(Thumbprint::parse(std::string("\xC2\xA0") + kHash).error().detail.find("U+00A0 NO-BREAK SPACE") !=
        std::string::npos);
  CHECK(Thumbprint::parse(std::string("\xFF") + kHash).error().detail.find("not valid UTF-8") != std::string::npos);
}
