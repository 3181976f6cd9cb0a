#pragma once
// netsh's texts for each outcome, with their Win32 error numbers and sslbind's exit codes.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/verb.hpp"

namespace sslbind::cli {

struct ErrorReport {
  std::string kind;                // stable name for tooling: "already-exists", "invalid-parameter", ...
  std::optional<int> win32;        // 183, 2, 87, 1312 where netsh reports one
  std::vector<std::string> netsh;  // netsh's own lines, exactly as netsh prints them
  std::string detail;              // sslbind's one line naming the value and the rule
  int exit_code = 1;
};

// `verb` is the command being run when known; `words` the command as typed (for "command was not found");
// `object` starts the failure line: netsh's "SSL Certificate", or "Certificate" for the cert stores.
ErrorReport describe_error(const Error& error, std::optional<Verb> verb, std::span<const std::string> words,
                           std::string_view object = "SSL Certificate");

std::string success_message(Verb verb);  // "SSL Certificate successfully added", ...

}  // namespace sslbind::cli
