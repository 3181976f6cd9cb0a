#pragma once
// Every command sslbind takes, with its parameters, read from the tables the parsers use: the shell completions
// are generated from it, so they cannot drift from the parser.
#include <string>
#include <string_view>
#include <vector>

namespace sslbind {

struct CatalogEntry {
  std::string command;                  // "add sslcert", "show ccs", "resolve"
  std::vector<std::string> parameters;  // "ipport", "certhash", ...
};

std::vector<CatalogEntry> command_catalog();
// The first words: "add", "update", "delete", "show", "init", "resolve", "check", "export", "import".
std::vector<std::string> catalog_verbs_and_tools();
// The objects a first word takes: "sslcert cert ccs" for add, "reg" for export; none for init.
std::vector<std::string> catalog_objects(std::string_view first);
// The fixed values a parameter takes ("enable", "disable"); empty when the value is free.
std::vector<std::string> parameter_choices(std::string_view parameter);
// Parameters whose value is a path, for file-name completion.
std::vector<std::string> path_parameters();

}  // namespace sslbind
