#include <doctest/doctest.h>

#include <vector>

#include "core/cert_command.hpp"

using namespace sslbind;

namespace {

Result<CertCommand> parse(Verb verb, std::vector<std::string> args) { return parse_cert_arguments(verb, args); }

}  // namespace

TEST_CASE("cert: parameters per verb, any case") {
  auto add = parse(Verb::Add, {"FILE=a.pfx", "Password=x", "certstorename=WebHosting"});
  REQUIRE(add);
  CHECK(add->file == "a.pfx");
  CHECK(add->password == "x");
  CHECK(add->store == "WebHosting");
  auto del = parse(Verb::Delete, {"certhash=01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13 14"});
  REQUIRE(del);
  CHECK(del->certhash->hex() == "0102030405060708090a0b0c0d0e0f1011121314");
  CHECK_FALSE(del->store);
  CHECK(parse(Verb::Show, {})->verb == Verb::Show);
}

TEST_CASE("cert: refusals") {
  CHECK(parse(Verb::Add, {}).error().code == ErrorCode::MissingParameters);
  CHECK(parse(Verb::Delete, {}).error().code == ErrorCode::MissingParameters);
  CHECK(parse(Verb::Update, {"file=a"}).error().code == ErrorCode::InvalidParameter);
  CHECK(parse(Verb::Show, {"file=a"}).error().detail ==
        "'file' is not a parameter of show cert; see 'sslbind show cert help'");
  CHECK(parse(Verb::Add, {"file="}).error().detail == "file is empty; give a path");
  CHECK(parse(Verb::Add, {"file=a", "file=b"}).error().detail == "file= is given twice");
  CHECK(parse(Verb::Add, {"file=a", "password=x", "passwordfile=y"}).error().detail ==
        "give password= or passwordfile=, not both");
  CHECK(parse(Verb::Add, {"file=a", "certstorename=a/b"}).error().detail.find("path separator") != std::string::npos);
  CHECK(parse(Verb::Delete, {"certhash=xyz"}).error().code == ErrorCode::InvalidParameter);
  CHECK(parse(Verb::Add, {"a.pfx"}).error().detail.find("is not of the form key=value") != std::string::npos);
}
