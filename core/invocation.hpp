#pragma once
// Reading a command line into what it asks for: [http] <verb> <object> key=value..., <tool> key=value..., or help.
// The objects and tools come from the caller's command table, so that a new command is one row there.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"
#include "core/verb.hpp"

namespace sslbind {

// The first words the command table knows: objects take a verb (add sslcert), tools stand alone (resolve).
struct CommandNames {
  std::span<const std::string_view> objects;  // "sslcert", "cert", "ccs"
  std::span<const std::string_view> tools;    // "init", "resolve", ...
  // Whether a verb takes an object: a short object name is matched among those of its verb only, as netsh matches
  // a command within its group ("update ssl" would be ambiguous with sslpropertyex, "show ssl" is not). Null: all.
  bool (*verb_takes)(Verb verb, std::string_view object) = nullptr;
};

// "help" or "?" anywhere after the first word asks for that command's usage; alone, for the list of commands.
struct HelpRequest {
  std::optional<Verb> verb;
  std::string_view object;  // empty: none named
  std::string_view tool;    // empty: not a tool
};

struct ObjectWords {
  Verb verb = Verb::Show;
  std::string_view object;  // as the table spells it
  std::vector<std::string> arguments;
};

struct ToolWords {
  std::string_view tool;  // as the table spells it
  std::vector<std::string> arguments;
};

using Invocation = std::variant<ObjectWords, ToolWords, HelpRequest>;

// Verbs match case-insensitively and by unique prefix, as in netsh ("sh ssl" is "show sslcert"); objects by exact
// name or by a unique prefix of at least three letters; tools by exact name.
Result<Invocation> parse_invocation(std::span<const std::string> words, const CommandNames& names);

// The verb of a command line, if it names one: for usage texts after a failed parse.
std::optional<Verb> verb_of(std::span<const std::string> words);

}  // namespace sslbind
