#pragma once
// Reading a netsh-style command line: [http] add|update|delete|show sslcert|cert|ccs key=value..., and
// init|resolve|check key=value...
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "core/binding.hpp"
#include "core/result.hpp"

namespace sslbind {

enum class Verb { Add, Update, Delete, Show };
std::string_view verb_name(Verb verb);  // "add", "update", "delete", "show"

struct SslCertCommand {
  Verb verb = Verb::Show;
  std::optional<BindingKey> key;  // show without a key lists every binding
  SslSettings settings;           // add and update only
  bool json = false;              // show's json=enable
};

// "help" or "?" anywhere after the verb asks for that verb's usage; alone, for the list of commands.
enum class Noun { SslCert, Cert, Ccs };
std::string_view noun_name(Noun noun);  // "sslcert", "cert", "ccs"

// Commands of sslbind's own: init, resolve, check, and the interchange with Windows (export reg, import netsh),
// whose object is their first argument.
enum class Tool { Init, Resolve, Check, Export, Import };
std::string_view tool_name(Tool tool);

struct HelpRequest {
  std::optional<Verb> verb;
  Noun noun = Noun::SslCert;
  std::optional<Tool> tool;
};

// The words of a `cert` or `ccs` command; cert_command.hpp and ccs_command.hpp read them, so that each object's
// parsing stays in its own file.
struct ObjectWords {
  Verb verb = Verb::Show;
  Noun noun = Noun::Cert;
  std::vector<std::string> arguments;
};

struct ToolWords {
  Tool tool = Tool::Init;
  std::vector<std::string> arguments;
};

using Invocation = std::variant<SslCertCommand, ObjectWords, ToolWords, HelpRequest>;

// Verbs and nouns match case-insensitively and by unique prefix, as in netsh ("sh ssl" is "show sslcert").
Result<Invocation> parse_invocation(std::span<const std::string> words);

// The verb of a command line, if it names one: for usage texts after a failed parse.
std::optional<Verb> verb_of(std::span<const std::string> words);

// Reads only the key=value part of an sslcert command, for a known verb.
Result<SslCertCommand> parse_sslcert_arguments(Verb verb, std::span<const std::string> arguments);

}  // namespace sslbind
