#pragma once
// Every command of sslbind in one table, in the manner of ninja's `struct Tool`: a row holds the name, the help line,
// the usage and the runner. Dispatch, `sslbind help`, the completion catalog and the man page's list (checked by a
// test) are derived from it, so that a new command is a row here plus its own files.
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/context.hpp"
#include "core/invocation.hpp"

namespace sslbind::cli {

// An object that netsh's verbs act on: add|update|delete|show <name>.
struct ObjectCommand {
  std::string_view name;                                 // "sslcert"
  std::vector<std::pair<Verb, std::string_view>> verbs;  // the verbs it takes with their help lines, in help order
  std::string (*usage)(Verb verb);
  std::vector<std::string> (*parameters)(Verb verb);
  int (*run)(const Context& ctx, Verb verb, std::span<const std::string> arguments);
};

// A command of sslbind's own: <name> [object] key=value...
struct ToolCommand {
  std::string_view name;      // "export"
  std::string_view object;    // the word it takes first ("reg"), or empty
  std::string_view synopsis;  // its own line in the help's usage block, or empty for "<name> [key=value ...]"
  std::string_view help_line;
  std::string (*usage)();
  std::vector<std::string> (*parameters)();
  int (*run)(const Context& ctx, std::span<const std::string> arguments);
};

std::span<const ObjectCommand> object_commands();
std::span<const ToolCommand> tool_commands();
// The names parse_invocation matches against.
CommandNames command_names();
const ObjectCommand& object_command(std::string_view name);  // name as returned by parse_invocation
// The tool of that name; of several (import netsh, import reg), the one whose object the first argument names.
const ToolCommand& tool_command(std::string_view name, std::span<const std::string> arguments = {});

// "add sslcert", "export reg", ... with their parameters, in table order: the source of the shell completions.
struct CatalogEntry {
  std::string command;
  std::vector<std::string> parameters;
};
std::vector<CatalogEntry> command_catalog();
// The first words: the verbs, then the tools.
std::vector<std::string> catalog_first_words();
// The objects a first word takes: "sslcert cert ccs" for add, "reg" for export; none for init.
std::vector<std::string> catalog_objects(std::string_view first);

// `sslbind help`: the usage block, one line a command, the options and the exit codes.
std::string general_help();

}  // namespace sslbind::cli
