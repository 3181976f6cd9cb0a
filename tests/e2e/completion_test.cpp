// Shell completions: completions/ holds what the binary generates from its command table, and bash's completion
// of real command lines gives the verbs, nouns, key= names and values the parser takes.
#include <doctest/doctest.h>

#include "tests/e2e/sslbind_runner.hpp"

using namespace sslbind::test;

namespace {

const std::filesystem::path kCompletions = std::filesystem::path(SSLBIND_SOURCE_DIR) / "completions";

// COMPREPLY for a command line typed up to its end, as bash's programmable completion computes it.
std::string complete(const std::string& line) {
  const std::string script =
      "source '" + (kCompletions / "sslbind.bash").string() +
      "'\nCOMP_WORDBREAKS=$' \\t\\n\"\\'><=;|&(:'\n"
      "COMP_LINE=\"$1\"; COMP_POINT=${#COMP_LINE}\n_sslbind\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
  const auto r = run_process({"/bin/bash", "-c", script, "bash", line});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return r.out;
}

}  // namespace

TEST_CASE("completions/ matches what the binary generates") {
  for (const auto& generated :
       {std::pair<std::string, std::string>{"bash", "sslbind.bash"}, {"zsh", "_sslbind"}, {"fish", "sslbind.fish"}}) {
    // Not a structured binding: clang 14 lets no lambda (doctest's CAPTURE and messages) refer to one.
    const std::string& shell = generated.first;
    const std::string& file = generated.second;
    CAPTURE(shell);
    const auto r = run_process({SSLBIND_BINARY, "--completion", shell});
    CHECK(r.exit_code == 0);
    CHECK_MESSAGE(r.out == read_file(kCompletions / file),
                  "regenerate with: build/release/cli/sslbind --completion " << shell << " > completions/" << file);
  }
  CHECK(run_process({SSLBIND_BINARY, "--completion", "tcsh"}).exit_code == 2);
}

TEST_CASE("bash completes verbs, nouns, parameters and values") {
  CHECK(complete("sslbind ") ==
        "add\nupdate\ndelete\nshow\ninit\nresolve\ncheck\nset\nexport\nimport\ndump\nserve\nhttp\n--root\n--store\n--"
        "json\n"
        "-f\n"
        "--dry-run\n--add-or-update\n--missing-certificates=allow\n--version\nhelp\n");
  CHECK(complete("sslbind export ") == "reg\nfarmkey\n");
  CHECK(complete("sslbind show fr") == "frontend\n");
  CHECK(complete("sslbind show f") == "frontend\nfarm\n");
  CHECK(complete("sslbind serve back") == "backend=\n");
  CHECK(complete("sslbind import netsh f") == "file=\n");
  CHECK(complete("sslbind update ") == "sslcert\nsslpropertyex\nccs\nwebfarm\n");
  CHECK(complete("sslbind up") == "update\n");
  CHECK(complete("sslbind http add ") == "sslcert\ncert\nccs\niplisten\nwebfarm\nroute\n");
  CHECK(complete("sslbind add sslcert host") == "hostnameport=\n");
  CHECK(complete("sslbind add sslcert ipport=0.0.0.0:443 cert") == "certhash=\ncertstorename=\n");
  CHECK(complete("sslbind delete sslcert ") == "ipport=\nhostnameport=\nccs=\nscopedccs=\n");
  CHECK(complete("sslbind show sslcert j") == "json=\n");
  CHECK(complete("sslbind show sslcert layout=") == "2016\n2019\n2022\n");
  CHECK(complete("sslbind set ") == "tlspolicy\n");
  CHECK(complete("sslbind set tlspolicy pr") == "profile=\nprotocols=\npreference=\n");
  CHECK(complete("sslbind add sslcert disablehttp2=") == "enable\ndisable\n");
  CHECK(complete("sslbind add sslcert usagecheck=e") == "enable\n");
  CHECK(complete("sslbind --root /tmp/x add cert certstorename=Web") == "WebHosting\n");
  CHECK(complete("sslbind add ccs p") == "privatekeypassword=\npasswordfile=\npollinginterval=\n");
  CHECK(complete("sslbind resolve ") == "ipport=\nhostname=\n");
  CHECK(complete("sslbind check d") == "days=\n");
  CHECK(complete("sslbind add sslcert frob") == "\n");
}

TEST_CASE("bash completes file names for path parameters and -f") {
  TempDir dir;
  write_file(dir.path() / "site.pfx", "x");
  CHECK(complete("sslbind add cert file=" + dir.str() + "/si") == dir.str() + "/site.pfx\n");
  CHECK(complete("sslbind -f " + dir.str() + "/si") == dir.str() + "/site.pfx\n");
}
