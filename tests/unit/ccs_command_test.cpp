#include <doctest/doctest.h>

#include <vector>

#include "core/ccs_command.hpp"

using namespace sslbind;

namespace {
Result<CcsCommand> parse(Verb verb, std::vector<std::string> args) { return parse_ccs_arguments(verb, args); }
}  // namespace

TEST_CASE("ccs: parameters") {
  auto add =
      parse(Verb::Add, {"location=/srv/ccs", "PrivateKeyPassword=s3cret", "username=HOST\\ccs", "pollinginterval=60"});
  REQUIRE(add);
  CHECK(add->location == "/srv/ccs");
  CHECK(add->private_key_password == "s3cret");
  CHECK(add->user_name == "HOST\\ccs");
  CHECK(add->polling_interval == 60u);
  auto update = parse(Verb::Update, {"passwordfile=/root/p"});
  REQUIRE(update);
  CHECK_FALSE(update->location);
  CHECK(update->password_file == "/root/p");
  CHECK(parse(Verb::Show, {}));
  CHECK(parse(Verb::Delete, {}));
}

TEST_CASE("ccs: refusals") {
  CHECK(parse(Verb::Add, {}).error().code == ErrorCode::MissingParameters);
  CHECK(parse(Verb::Add, {"location="}).error().detail == "location is empty; give a path");
  CHECK(parse(Verb::Add, {"location=/a", "privatekeypassword=x", "passwordfile=y"}).error().detail ==
        "give privatekeypassword= or passwordfile=, not both");
  CHECK(parse(Verb::Add, {"location=/a", "pollinginterval=0"}).error().detail ==
        "pollinginterval '0' is not a number of seconds from 1 to 4294967295");
  CHECK(parse(Verb::Add, {"location=/a", "pollinginterval=4294967296"}).error().code == ErrorCode::InvalidParameter);
  CHECK(parse(Verb::Add, {"location=/a", "pollinginterval=-1"}).error().code == ErrorCode::InvalidParameter);
  CHECK(parse(Verb::Show, {"location=/a"}).error().detail ==
        "'location' is not a parameter of show ccs; see 'sslbind show ccs help'");
  CHECK(parse(Verb::Delete, {"location=/a"}).error().code == ErrorCode::InvalidParameter);
}
