#pragma once
// What every command runner shares: the parsed global options, the registry opened once, the streams it prints to,
// and the one way to report a failure.
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/verb.hpp"

namespace sslbind::store {
class Registry;
class RegistryFile;
}  // namespace sslbind::store

namespace sslbind::cli {

struct BatchOptions {
  std::string file;  // "-" for standard input
  bool dry_run = false;
  bool add_or_update = false;
  // --missing-certificates=allow: bindings whose certificate is not in its store are imported anyway (a migration
  // brings the bindings first, the PFX files after); the default refuses them with 1312, as netsh does.
  bool allow_missing_certificates = false;
};

struct Context {
  std::vector<std::string> words;  // the command as typed, for netsh's "command was not found" text
  std::filesystem::path root;
  bool json = false;
  BatchOptions batch;
  std::int64_t now = 0;  // read once per command, so that every expiry in one output agrees
  store::Registry* registry = nullptr;
  // The same registry as a file, for the host-local lock that delete cert takes (stores are per machine).
  store::RegistryFile* registry_file = nullptr;
  std::istream* in = nullptr;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
};

// What a failure report names: the command ("add ccs"), the object of netsh's "<object> add failed" line, and the
// usage printed after a "missing parameters" error.
struct CommandInfo {
  std::string name;
  std::optional<Verb> verb;
  std::string object = "SSL Certificate";
  std::string usage;
};

// Prints the error (text to the error stream, or the JSON document to the output) and returns its exit code.
int fail(const Context& ctx, const Error& error, const CommandInfo& command);

// Prints a successful result: the JSON document with --json, else the text.
int succeed(const Context& ctx, const nlohmann::ordered_json& json, const std::string& text);

}  // namespace sslbind::cli
