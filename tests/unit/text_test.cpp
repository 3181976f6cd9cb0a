#include <doctest/doctest.h>

#include <vector>

#include "core/text.hpp"

using namespace sslbind;

TEST_CASE("parse_decimal takes digits only and respects the maximum") {
  CHECK(text::parse_decimal("0", 10) == 0u);
  CHECK(text::parse_decimal("4294967295", 0xFFFFFFFFu) == 4294967295u);
  CHECK_FALSE(text::parse_decimal("4294967296", 0xFFFFFFFFu));
  CHECK_FALSE(text::parse_decimal("", 10));
  CHECK_FALSE(text::parse_decimal("-1", 10));
  CHECK_FALSE(text::parse_decimal("+1", 10));
  CHECK_FALSE(text::parse_decimal(" 1", 10));
  CHECK_FALSE(text::parse_decimal("99999999999999999999999", ~0ull));
}

TEST_CASE("decode_utf8 refuses malformed, overlong and surrogate sequences") {
  CHECK(text::decode_utf8("\xE2\x80\x8E", 0)->value == 0x200E);
  CHECK_FALSE(text::decode_utf8("\xE2\x80", 0));
  CHECK_FALSE(text::decode_utf8("\xC0\xAF", 0));      // overlong '/'
  CHECK_FALSE(text::decode_utf8("\xED\xA0\x80", 0));  // surrogate
  CHECK_FALSE(text::decode_utf8("\xFF", 0));
}

TEST_CASE("quote shows invisible characters and bad bytes") {
  CHECK(text::quote("ab") == "'ab'");
  CHECK(text::quote("\xE2\x80\x8E"
                    "a") == "'<U+200E>a'");
  CHECK(text::quote("\xFF") == "'\\xFF'");
  CHECK(text::describe_code_point(0x200E) == "U+200E LEFT-TO-RIGHT MARK");
}

TEST_CASE("iequals ignores ASCII case only") {
  CHECK(text::iequals("SSLCert", "sslcert"));
  CHECK_FALSE(text::iequals("sslcert", "sslcer"));
}

TEST_CASE("hex and join helpers") {
  const std::uint8_t bytes[] = {0x00, 0xAB, 0x7f};
  CHECK(text::to_hex(bytes, 3) == "00ab7f");
  CHECK(text::hex_value('F') == 15);
  CHECK(text::hex_value('a') == 10);
  CHECK(text::hex_value('9') == 9);
  const std::vector<std::string> words{"http", "add", "sslcert"};
  CHECK(text::join(words) == "http add sslcert");
  CHECK(text::join(std::vector<std::string>{}).empty());
}

TEST_CASE("first_invalid_utf8 names the offset of the first bad byte") {
  CHECK_FALSE(text::first_invalid_utf8(""));
  CHECK_FALSE(text::first_invalid_utf8("plain ascii"));
  CHECK_FALSE(text::first_invalid_utf8("caf\xC3\xA9 \xE2\x80\x8E"));
  CHECK(text::first_invalid_utf8("/srv/ccs\xff") == 8u);
  CHECK(text::first_invalid_utf8("ab\xC3") == 2u);            // cut short
  CHECK(text::first_invalid_utf8("\xC3\xA9\xC0\xAF") == 2u);  // overlong after a good one
  CHECK(text::first_invalid_utf8("x\xED\xA0\x80") == 1u);     // surrogate
}

TEST_CASE("hex_literal: a byte, a code unit, a flag word, with leading zeros") {
  CHECK(sslbind::text::hex_literal(0xE9, 2) == "0xE9");
  CHECK(sslbind::text::hex_literal(0x5, 2) == "0x05");
  CHECK(sslbind::text::hex_literal(0xD800, 4) == "0xD800");
  CHECK(sslbind::text::hex_literal(0x8000, 8) == "0x00008000");
  CHECK(sslbind::text::hex_literal(0xFFFFFFFF, 8) == "0xFFFFFFFF");
}
