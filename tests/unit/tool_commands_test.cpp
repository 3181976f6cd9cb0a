#include <doctest/doctest.h>

#include <vector>

#include "core/tool_commands.hpp"

using namespace sslbind;

TEST_CASE("resolve: parameters") {
  std::vector<std::string> args{"ipport=10.0.0.5:443", "hostname=www.contoso.com"};
  auto r = parse_resolve_arguments(args);
  REQUIRE(r);
  CHECK(r->connection.str() == "10.0.0.5:443");
  CHECK(r->hostname == "www.contoso.com");
  std::vector<std::string> v6{"ipport=[2001:db8::5]:443"};
  CHECK_FALSE(parse_resolve_arguments(v6)->hostname);
}

TEST_CASE("resolve: refusals") {
  auto fails = [](std::vector<std::string> args) { return parse_resolve_arguments(args).error(); };
  CHECK(fails({}).code == ErrorCode::MissingParameters);
  CHECK(fails({"hostname=www.contoso.com"}).code == ErrorCode::MissingParameters);
  CHECK(fails({"ipport=0.0.0.0:443"}).detail.find("is a wildcard") != std::string::npos);
  CHECK(fails({"ipport=[::]:443"}).detail.find("is a wildcard") != std::string::npos);
  CHECK(fails({"ipport=10.0.0.5"}).code == ErrorCode::InvalidParameter);
  CHECK(fails({"ipport=10.0.0.5:443", "hostname=*.contoso.com"}).detail.find("wildcard") != std::string::npos);
  CHECK(fails({"ipport=10.0.0.5:443", "hostname=../x"}).code == ErrorCode::InvalidParameter);
}

TEST_CASE("check: days") {
  std::vector<std::string> none;
  CHECK(parse_check_arguments(none)->expiry_days == kDefaultExpiryDays);
  std::vector<std::string> days{"days=90"};
  CHECK(parse_check_arguments(days)->expiry_days == 90u);
  std::vector<std::string> zero{"days=0"};
  CHECK(parse_check_arguments(zero)->expiry_days == 0u);
  std::vector<std::string> bad{"days=-1"};
  CHECK(parse_check_arguments(bad).error().detail == "days '-1' is not a number of days from 0 to 36500");
  std::vector<std::string> big{"days=36501"};
  CHECK_FALSE(parse_check_arguments(big));
}
