#include <doctest/doctest.h>

#include "core/batch.hpp"

using namespace sslbind;

namespace {

const std::string kHash(40, 'a');
const std::string kAppId = "{4dc3e181-e14b-4a21-b022-59fc669b0914}";

std::string add(const std::string& key, const std::string& extra = "") {
  return "http add sslcert " + key + " certhash=" + kHash + " appid=" + kAppId + extra;
}

std::vector<std::string> summary(const std::vector<BatchChange>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) {
    out.push_back(std::to_string(c.line) + " " + c.key + " " + std::string(outcome_name(c.outcome)));
  }
  return out;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("batch: words, quotes, comments and netsh prefixes") {
  CHECK(*split_command_line("  add\tsslcert  ipport=0.0.0.0:443 \r") == Lines{"add", "sslcert", "ipport=0.0.0.0:443"});
  CHECK(*split_command_line("appid=\"{4dc3e181-e14b-4a21-b022-59fc669b0914}\" x=\"a b\"") ==
        Lines{"appid={4dc3e181-e14b-4a21-b022-59fc669b0914}", "x=a b"});
  CHECK(split_command_line("x=\"open").error().detail == "a double quote is not closed");
}

// Windows' command-line rule (CommandLineToArgvW): backslashes are plain unless a double quote follows them.
TEST_CASE("batch: backslashes and escaped double quotes") {
  CHECK(*split_command_line(R"(x=C:\dir\file y=\\server\share)") == Lines{R"(x=C:\dir\file)", R"(y=\\server\share)"});
  CHECK(*split_command_line(R"(x="a\"b")") == Lines{R"(x=a"b)"});
  CHECK(*split_command_line(R"(x=a\"b)") == Lines{R"(x=a"b)"});
  CHECK(*split_command_line(R"(x="ends\\" y)") == Lines{R"(x=ends\)", "y"});
  CHECK(*split_command_line(R"(x="three\\\"q" y)") == Lines{R"(x=three\"q)", "y"});
  CHECK(*split_command_line(R"(x="a b\\\\")") == Lines{R"(x=a b\\)"});
  CHECK(*split_command_line(R"(x=\)") == Lines{R"(x=\)"});
  CHECK(*split_command_line(R"(x="" y)") == Lines{"x=", "y"});
  CHECK(split_command_line(R"(x="a\")").error().detail == "a double quote is not closed");
  auto lines = parse_batch("# front end\n\n" + add("ipport=0.0.0.0:443") + "\nnetsh http delete sslcert ccs=443\n" +
                           "update sslcert ipport=[::]:443 certhash=" + kHash + " appid=" + kAppId);
  REQUIRE(lines);
  REQUIRE(lines->size() == 3);
  CHECK((*lines)[0].number == 3);
  CHECK((*lines)[0].command.verb == Verb::Add);
  CHECK((*lines)[1].number == 4);
  CHECK((*lines)[1].command.verb == Verb::Delete);
  CHECK((*lines)[2].number == 5);
  CHECK(parse_batch("")->empty());
}

TEST_CASE("batch: a wrong line is named by its number") {
  CHECK(parse_batch(add("ipport=0.0.0.0:443") + "\n" + add("ipport=0.0.0.0:99999"))
            .error()
            .detail.starts_with("line 2: "));
  CHECK(parse_batch("\n\nadd sslcert ipport=0.0.0.0:443").error().code == ErrorCode::MissingParameters);
  CHECK(parse_batch("\n\nadd sslcert ipport=0.0.0.0:443").error().detail.starts_with("line 3: "));
  CHECK(parse_batch("show sslcert").error().detail ==
        "line 1: a batch takes add, update and delete sslcert, update sslpropertyex and add and delete iplisten lines "
        "only; found 'show sslcert'");
  CHECK(parse_batch("add cert file=a.pfx").error().detail.starts_with("line 1: a batch takes"));
  CHECK(parse_batch("frob sslcert").error().detail.starts_with("line 1: 'frob' is not a command"));
  CHECK(parse_batch("add sslcert x=\"y").error().detail == "line 1: a double quote is not closed");
}

TEST_CASE("batch: netsh's rules, the failing line named, nothing half-applied by the caller") {
  RegistryState set;
  auto lines = parse_batch(add("ipport=0.0.0.0:443") + "\nadd sslcert ccs=443 appid=" + kAppId + "\n" +
                           add("ipport=0.0.0.0:443"));
  REQUIRE(lines);
  Verb failed = Verb::Show;
  auto r = apply_batch(set, *lines, false, &failed);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::AlreadyExists);
  CHECK(r.error().detail.starts_with("line 3: ipport=0.0.0.0:443 already has a binding"));
  CHECK(failed == Verb::Add);

  RegistryState empty;
  auto del = parse_batch("delete sslcert ipport=0.0.0.0:443");
  CHECK(apply_batch(empty, *del, false).error().code == ErrorCode::NotFound);
  auto upd = parse_batch("update sslcert ipport=0.0.0.0:443 certhash=" + kHash + " appid=" + kAppId);
  CHECK(apply_batch(empty, *upd, false).error().code == ErrorCode::NotFound);
}

TEST_CASE("batch: add-or-update makes a script idempotent") {
  RegistryState set;
  const std::string script =
      add("ipport=0.0.0.0:443") + "\nadd sslcert ccs=443 appid=" + kAppId + "\ndelete sslcert ipport=[::]:443\n";
  auto lines = parse_batch(script);
  REQUIRE(lines);
  CHECK(summary(*apply_batch(set, *lines, true)) ==
        Lines{"1 ipport=0.0.0.0:443 created", "2 ccs=443 created", "3 ipport=[::]:443 unchanged"});
  CHECK(summary(*apply_batch(set, *lines, true)) ==
        Lines{"1 ipport=0.0.0.0:443 unchanged", "2 ccs=443 unchanged", "3 ipport=[::]:443 unchanged"});
  auto changed = parse_batch(add("ipport=0.0.0.0:443", " certstorename=WebHosting") +
                             "\nupdate sslcert ipport=10.0.0.5:443 certhash=" + kHash + " appid=" + kAppId +
                             "\ndelete sslcert ccs=443");
  CHECK(summary(*apply_batch(set, *changed, true)) ==
        Lines{"1 ipport=0.0.0.0:443 updated", "2 ipport=10.0.0.5:443 created", "3 ccs=443 deleted"});
  CHECK(set.bindings.find(BindingKey::ip(*IpPort::parse("0.0.0.0:443")))->settings.certstorename == "WebHosting");
}

TEST_CASE("batch: add and delete iplisten lines change the IP listen list by netsh's rules") {
  auto lines = parse_batch("add iplisten ipaddress=10.0.0.5\nnetsh http add iplisten ::\ndelete iplisten 10.0.0.5\n");
  REQUIRE(lines);
  RegistryState state;
  CHECK(summary(*apply_batch(state, *lines, false)) ==
        Lines{"1 ipaddress=10.0.0.5 created", "2 ipaddress=:: created", "3 ipaddress=10.0.0.5 deleted"});
  REQUIRE(state.ip_listen.size() == 1);
  CHECK(state.ip_listen[0].str() == "::");
  auto again = parse_batch("add iplisten ipaddress=::");
  CHECK(apply_batch(state, *again, false).error().detail == "line 1: ipaddress :: is already in the IP listen list");
  CHECK(summary(*apply_batch(state, *again, true)) == Lines{"1 ipaddress=:: unchanged"});
  CHECK(parse_batch("add iplisten ipaddress=10.0.0.300").error().detail.starts_with("line 1: ipaddress: IP address"));
  CHECK(parse_batch("show iplisten").error().detail.find("a batch takes add, update and delete sslcert") !=
        std::string::npos);
}

TEST_CASE("batch: the context lines of a netsh script (pushd http, popd) are read, other contexts refused") {
  auto lines = parse_batch("#====\npushd http\n\nadd sslcert ipport=0.0.0.0:443 certhash=" + kHash +
                           " appid=" + kAppId + "\npopd\n# End\n");
  REQUIRE(lines);
  REQUIRE(lines->size() == 1);
  CHECK((*lines)[0].number == 4);
  CHECK(parse_batch("PUSHD HTTP\nPopd\n"));
  auto refused = parse_batch("pushd interface\n");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().detail == "line 1: a batch runs in netsh's http context only; found 'pushd interface'");
  CHECK_FALSE(parse_batch("pushd\n"));
  CHECK_FALSE(parse_batch("popd http\n"));
}
