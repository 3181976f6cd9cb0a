// A command line (one word per line of the input) through the invocation parser and every command's argument
// parser, as the CLI would hand it on; never a crash.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ccs_command.hpp"
#include "core/cert_command.hpp"
#include "core/invocation.hpp"
#include "core/serve_command.hpp"
#include "core/sslcert_command.hpp"
#include "core/tool_commands.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> words;
  std::string word;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') {
      words.push_back(std::move(word));
      word.clear();
    } else {
      word += static_cast<char>(data[i]);
    }
  }
  words.push_back(std::move(word));
  static constexpr std::array<std::string_view, 4> kObjects{"sslcert", "cert", "ccs", "frontend"};
  static constexpr std::array<std::string_view, 6> kTools{"init", "resolve", "check", "export", "import", "serve"};
  (void)sslbind::parse_invocation(words, {kObjects, kTools});
  for (sslbind::Verb verb : {sslbind::Verb::Add, sslbind::Verb::Update, sslbind::Verb::Delete, sslbind::Verb::Show}) {
    (void)sslbind::parse_sslcert_arguments(verb, words);
    (void)sslbind::parse_cert_arguments(verb, words);
    (void)sslbind::parse_ccs_arguments(verb, words);
  }
  (void)sslbind::parse_serve_arguments(words);
  (void)sslbind::parse_frontend_arguments(words);
  (void)sslbind::parse_resolve_arguments(words);
  (void)sslbind::parse_check_arguments(words);
  (void)sslbind::parse_export_arguments(words);
  (void)sslbind::parse_import_arguments(words);
  return 0;
}
