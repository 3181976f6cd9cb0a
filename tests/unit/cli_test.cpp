// The cli library in-process: texts, JSON and exit codes without starting the binary.
#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <streambuf>

#include "cli/command_table.hpp"
#include "cli/run.hpp"
#include "tests/support/temp_dir.hpp"

using namespace sslbind;

namespace {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome run(const std::vector<std::string>& arguments, const std::string& input = "") {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  const int code = cli::run_command_line(arguments, in, out, err);
  return {code, out.str(), err.str()};
}

// A stream whose every write fails: with badbit in its exception mask, the first output throws.
class FailingBuffer : public std::streambuf {
 protected:
  int_type overflow(int_type) override { return traits_type::eof(); }
};

}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("help lists every command of the table, and the man page names each of them") {
    const Outcome help = run({"help"});
    CHECK(help.code == 0);
    for (const auto& entry : cli::command_catalog()) {
      CAPTURE(entry.command);
      CHECK(help.out.find("\n" + entry.command + " ") != std::string::npos);
    }
    // The man page gives each object one entry for all its verbs, and each tool its own.
    const std::string man = test::read_file(std::string(SSLBIND_SOURCE_DIR) + "/docs/sslbind.1");
    for (const auto& object : cli::object_commands()) {
      std::string verbs;  // in netsh's order: add|update|delete|show
      for (Verb verb : kVerbs) {
        const bool taken =
            std::any_of(object.verbs.begin(), object.verbs.end(), [&](const auto& v) { return v.first == verb; });
        if (taken) verbs += (verbs.empty() ? "" : "|") + std::string(verb_name(verb));
      }
      const std::string entry = "\n.B " + verbs + " " + std::string(object.name);
      CAPTURE(entry);
      const auto at = man.find(entry);
      REQUIRE(at != std::string::npos);
      CHECK((man[at + entry.size()] == '\n' || man[at + entry.size()] == ' '));
    }
    for (const auto& tool : cli::tool_commands()) {
      CAPTURE(tool.name);
      const std::string entry =
          "\n.B " + std::string(tool.name) + (tool.object.empty() ? "" : " " + std::string(tool.object));
      CHECK(man.find(entry) != std::string::npos);
    }
  }

  TEST_CASE("an unknown command names the commands of the table") {
    const Outcome r = run({"frob"});
    CHECK(r.code == 2);
    CHECK(
        r.err.find(
            "the commands are add, update, delete, show, init, resolve, check, set, export, import, dump and serve") !=
        std::string::npos);
  }

  TEST_CASE("a --root that is not UTF-8 is refused, and --json still prints valid JSON") {
    const Outcome r = run({"--root", "/srv/root\xff", "--json", "show", "sslcert"});
    CHECK(r.code == 2);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["status"] == "error");
    const std::string detail = doc["error"]["detail"];
    CHECK(detail.find("--root '/srv/root\\xFF' is not valid UTF-8 (byte 0xFF at offset 9)") != std::string::npos);
  }

  TEST_CASE("a parameter value that is not UTF-8 is refused before anything is read") {
    test::TempDir root;
    const Outcome r = run({"--root", root.str(), "add", "ccs", "location=/srv/ccs\xff"});
    CHECK(r.code == 2);
    CHECK(r.err.find("'location=/srv/ccs\\xFF' is not valid UTF-8 (byte 0xFF at offset 17)") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(root.path() / "registry.json"));
  }

  TEST_CASE("an unexpected exception is reported in one line with exit code 4") {
    FailingBuffer failing;
    std::ostream out(&failing);
    out.exceptions(std::ios::badbit);
    std::istringstream in;
    std::ostringstream err;
    CHECK(cli::run_command_line({"--version"}, in, out, err) == 4);
    const std::string text = err.str();
    CHECK(text.rfind("sslbind: internal error: ", 0) == 0);
    CHECK(std::count(text.begin(), text.end(), '\n') == 1);
  }

  TEST_CASE("JSON errors carry the exit code they exit with") {
    test::TempDir root;
    const Outcome r = run({"--root", root.str(), "--json", "delete", "sslcert", "ipport=10.0.0.1:443"});
    CHECK(r.code == 1);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["error"]["exitCode"] == 1);
    CHECK(doc["command"] == "delete sslcert");
  }
}
