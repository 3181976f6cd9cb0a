#include <doctest/doctest.h>

#include "core/guid.hpp"

using namespace sslbind;

TEST_CASE("appid: with or without braces, any case, normalised to lower-case braces") {
  const char* norm = "{4dc3e181-e14b-4a21-b022-59fc669b0914}";
  CHECK(Guid::parse("{4dc3e181-e14b-4a21-b022-59fc669b0914}")->str() == norm);
  CHECK(Guid::parse("4DC3E181-E14B-4A21-B022-59FC669B0914")->str() == norm);
}

TEST_CASE("appid: shape errors") {
  CHECK(Guid::parse("{4dc3e181-e14b-4a21-b022-59fc669b0914").error().detail.find("unmatched brace") !=
        std::string::npos);
  CHECK(Guid::parse("4dc3e181-e14b-4a21-b022-59fc669b0914}").error().detail.find("unmatched brace") !=
        std::string::npos);
  CHECK(Guid::parse("{}").error().detail.find("0 characters") != std::string::npos);
  CHECK(Guid::parse("").error().detail.find("0 characters") != std::string::npos);
  CHECK(Guid::parse("4dc3e181e14b4a21b02259fc669b0914abcd").error().detail.find("needs '-' at position 9") !=
        std::string::npos);
  CHECK(Guid::parse("4dc3e181-e14b-4a21-b022-59fc669b091g").error().detail.find("'g', which is not a hex digit") !=
        std::string::npos);
}

TEST_CASE("appid: Windows byte order swaps Data1-3 and round-trips") {
  auto g = *Guid::parse("{4dc3e181-e14b-4a21-b022-59fc669b0914}");
  const auto bytes = g.windows_bytes();
  CHECK(bytes[0] == 0x81);
  CHECK(bytes[3] == 0x4d);
  CHECK(bytes[4] == 0x4b);
  CHECK(bytes[6] == 0x21);
  CHECK(bytes[8] == 0xb0);
  CHECK(Guid::from_windows_bytes(bytes) == g);
}
