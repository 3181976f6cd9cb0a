#pragma once
// What every command runner shares: the parsed global options and the one way to report a failure.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/command.hpp"
#include "core/error.hpp"

namespace sslbind::cli {

struct Context {
  std::vector<std::string> words;  // the command as typed, for netsh's "command was not found" text
  std::filesystem::path root;
  bool json = false;
};

// What a failure report names: the command ("add ccs"), the object of netsh's "<object> add failed" line, and the
// usage printed after a "missing parameters" error.
struct CommandInfo {
  std::string name;
  std::optional<Verb> verb;
  std::string object = "SSL Certificate";
  std::string usage;
};

// Prints the error (text to stderr, or the JSON document to stdout) and returns its exit code.
int fail(const Context& ctx, const Error& error, const CommandInfo& command);

// Prints a successful result: the JSON document with --json, else the text.
int succeed(const Context& ctx, const nlohmann::ordered_json& json, const std::string& text);

}  // namespace sslbind::cli
