#include <doctest/doctest.h>

#include <array>
#include <vector>

#include "core/key_values.hpp"

using namespace sslbind;

namespace {
constexpr std::array<std::string_view, 2> kNames{"location", "days"};
Result<KeyValues> parse(std::vector<std::string> words) { return KeyValues::parse(words, kNames, "x y", "days=1"); }
}  // namespace

TEST_CASE("key=value words: names without regard to case, values as typed") {
  auto kv = parse({"LOCATION=/Srv/CCS", "days="});
  REQUIRE(kv);
  CHECK(kv->get("location") == "/Srv/CCS");
  CHECK(kv->get("days") == "");
  CHECK(kv->has("days"));
  auto equals_in_value = parse({"location=a=b"});
  CHECK(equals_in_value->get("location") == "a=b");
  CHECK_FALSE(parse({})->has("location"));
}

TEST_CASE("key=value words: refusals name the word and the rule") {
  CHECK(parse({"location"}).error().detail == "'location' is not of the form key=value, e.g. days=1");
  CHECK(parse({"colour=red"}).error().detail == "'colour' is not a parameter of x y; see 'sslbind x y help'");
  CHECK(parse({"days=1", "Days=2"}).error().detail == "days= is given twice");
  CHECK(parse({"=1"}).error().code == ErrorCode::InvalidParameter);
  CHECK(check_path("", "location").error().detail == "location is empty; give a path");
  CHECK(check_path(std::string("a\0b", 3), "location").error().detail == "location contains a NUL byte");
  CHECK(check_path("/srv/ccs", "location"));
}
