// The .reg reader: regedit's forms of keys, names and data, and what it refuses.
#include "core/reg_file.hpp"

#include <doctest/doctest.h>

using namespace sslbind;

namespace {

std::vector<std::string> lines(std::initializer_list<const char*> text) { return {text.begin(), text.end()}; }

}  // namespace

TEST_CASE("reg file: keys, value names and every data form regedit writes") {
  auto keys = read_reg_file(lines({
      "Windows Registry Editor Version 5.00\r",
      "",
      "; a comment",
      "[HKEY_LOCAL_MACHINE\\SOFTWARE\\x]",
      "@=\"default\"",
      "\"quote \\\" and \\\\\"=\"C:\\\\dir\\\\ \\\"q\\\"\"",
      "\"d\"=dword:0000ffff",
      "\"b\"=hex:01,ab,\\",
      "  FF",
      "\"e\"=hex:",
      "\"m\"=hex(7):61,00,00,00,e9,00,3d,d8,00,de,00,00,00,00",
      "\"x\"=hex(2):25,00,41,00,25,00,00,00",
      "\"q\"=hex(b):01,00,00,00,00,00,00,00",
      "\"d4\"=hex(4):01,02,03,04",
      "[HKEY_LOCAL_MACHINE\\SOFTWARE\\y]",
  }));
  REQUIRE(keys);
  REQUIRE(keys->size() == 2);
  const RegKey& k = (*keys)[0];
  CHECK(k.path == "HKEY_LOCAL_MACHINE\\SOFTWARE\\x");
  CHECK(k.line == 4);
  REQUIRE(k.values.size() == 9);
  CHECK(k.values[0].name == "");
  CHECK(k.values[0].text == "default");
  CHECK(k.values[1].name == "quote \" and \\");
  CHECK(k.values[1].text == "C:\\dir\\ \"q\"");
  CHECK(k.values[1].type == static_cast<std::uint32_t>(RegType::Sz));
  CHECK(k.values[2].dword == 0xFFFF);
  CHECK(k.values[3].bytes == std::vector<std::uint8_t>{0x01, 0xAB, 0xFF});
  CHECK(k.values[3].line == 8);
  CHECK(k.values[4].bytes.empty());
  CHECK(k.values[5].strings == std::vector<std::string>{"a", "\xC3\xA9\xF0\x9F\x98\x80"});
  CHECK(k.values[6].text == "%A%");
  CHECK(k.values[7].type == 11);
  CHECK(k.values[7].bytes.size() == 8);
  CHECK(k.values[8].dword == 0x04030201);
  CHECK((*keys)[1].values.empty());
}

TEST_CASE("reg file: REGEDIT4 strings are taken when they are ASCII") {
  auto keys = read_reg_file(lines({"REGEDIT4", "[HKEY_LOCAL_MACHINE\\x]", "\"m\"=hex(7):61,00,62,00,00"}));
  REQUIRE(keys);
  CHECK((*keys)[0].values[0].strings == std::vector<std::string>{"a", "b"});
  auto ansi = read_reg_file(lines({"REGEDIT4", "[HKEY_LOCAL_MACHINE\\x]", "\"m\"=hex(7):e9,00,00"}));
  REQUIRE(!ansi);
  CHECK(ansi.error().detail.find("line 3: a REGEDIT4 file holds strings in a code page") == 0);
}

TEST_CASE("reg file: what is refused, with its line") {
  const std::string header = "Windows Registry Editor Version 5.00";
  const auto error = [&](std::initializer_list<const char*> body) {
    std::vector<std::string> text{header};
    text.insert(text.end(), body.begin(), body.end());
    auto keys = read_reg_file(text);
    REQUIRE(!keys);
    return keys.error().detail;
  };
  CHECK(read_reg_file({}).error().detail.find("the file is empty") == 0);
  CHECK(read_reg_file(lines({"", "Windows Registry Editor"})).error().detail.find("line 2: a .reg file starts") == 0);
  CHECK(error({"\"a\"=dword:1"}) == "line 2: a value comes before any [key]");
  CHECK(error({"[HKLM\\x"}) == "line 2: a key's line must end with ]");
  CHECK(error({"[-HKLM\\x]"}).find("line 2: the file deletes the key 'HKLM\\x'") == 0);
  CHECK(error({"[HKLM\\x]", "\"a\"=-"}).find("line 3: the file deletes the value 'a'") == 0);
  CHECK(error({"[HKLM\\x]", "\"a\"=\"open"}) == "line 3: a quoted text is not closed");
  CHECK(error({"[HKLM\\x]", "\"a\\q\"=\"\""}) == "line 3: a backslash in a quoted text must be followed by \\ or \"");
  CHECK(error({"[HKLM\\x]", "\"a\"=\"v\" tail"}) == "line 3: text follows the closing quote of the value");
  CHECK(error({"[HKLM\\x]", "\"a\"=dword:"}).find("line 3: dword '' is not 1 to 8 hex digits") == 0);
  CHECK(error({"[HKLM\\x]", "\"a\"=dword:123456789"}).find("is not 1 to 8 hex digits") != std::string::npos);
  CHECK(error({"[HKLM\\x]", "\"a\"=dword:0000000g"}).find("is not a hex number") != std::string::npos);
  CHECK(error({"[HKLM\\x]", "\"a\"=hex:1,2"}).find("'1' is not a byte of hex data") != std::string::npos);
  CHECK(error({"[HKLM\\x]", "\"a\"=hex:01,,02"}).find("'' is not a byte of hex data") != std::string::npos);
  CHECK(error({"[HKLM\\x]", "\"a\"=hex(7:00"}) == "line 3: hex( is not closed by ):");
  CHECK(error({"[HKLM\\x]", "\"a\"=hex(4):01"}) == "line 3: hex(4) data (REG_DWORD) must be 4 bytes");
  CHECK(error({"[HKLM\\x]", "\"a\"=hex(1):41"}) == "line 3: UTF-16 string data has an odd number of bytes");
  CHECK(error({"[HKLM\\x]", "\"a\"=hex(1):00,dc"}) == "line 3: UTF-16 string data has a lone low surrogate");
  CHECK(error({"[HKLM\\x]", "\"a\"=hex(1):00,d8,41,00"}) == "line 3: UTF-16 string data has a lone high surrogate");
  CHECK(error({"[HKLM\\x]", "\"a\"=text"}).find("is not \"text\", dword:, hex: or hex(N)") != std::string::npos);
  CHECK(error({"[HKLM\\x]", "a=\"b\""}).find("is neither a [key]") != std::string::npos);
  CHECK(error({"[HKLM\\x]", "\"a\" \"b\""}) == "line 3: the value's name is not followed by =");
}
