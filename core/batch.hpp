#pragma once
// Batch scripts: `sslbind -f FILE` runs one sslcert command per line as one transaction. Lines are netsh commands
// as a script for `netsh -f` would hold them ("http add sslcert ...", an optional leading "netsh"); blank lines and
// lines starting with '#' are skipped. add, update and delete sslcert, update sslpropertyex and add and delete iplisten
// are taken; the other lines of a whole `netsh http dump` or `netsh dump` are listed as skipped.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/binding_set.hpp"
#include "core/ip_listen.hpp"
#include "core/registry_state.hpp"
#include "core/sslcert_command.hpp"

namespace sslbind {

struct BatchLine {
  std::size_t number = 0;  // 1-based line in the file
  SslCertCommand command;
  std::optional<IpListenCommand> ip_listen;  // an add or delete iplisten line: `command` is then not used
};

// A line of a netsh script that is not sslbind's to run: another object of netsh's http context (`add urlacl`,
// `add iplisten`, `add timeout`, `add setting`, `add cacheparam`, as a whole `netsh http dump` holds them), or a line
// inside another context (`pushd interface ipv4` ... `popd` of a whole `netsh dump`).
struct SkippedLine {
  std::size_t number = 0;
  std::string command;  // as written, without a leading "netsh"
};

// The update sslpropertyex lines that give a binding added at `line` the extended properties `x`: one per property
// that differs from Windows' defaults (none for a binding that keeps them).
std::vector<BatchLine> property_lines(std::size_t line, const BindingKey& key, const ExtendedProperties& x);

// Every error names its line: "line 7: ...". Nothing is applied when any line is wrong. Lines that belong to netsh
// but not to sslbind are left out and, when `skipped` is given, listed there; without it they are refused.
Result<std::vector<BatchLine>> parse_batch(std::string_view text, std::vector<SkippedLine>* skipped = nullptr);
// The same from a file's bytes, decoded as `import netsh` decodes a listing (listing_decoder.hpp): UTF-16LE or BE
// with a byte order mark (`netsh http dump > f` in PowerShell 5.1, `Out-File`), UTF-8 with or without one.
Result<std::vector<BatchLine>> parse_batch_file(std::string_view bytes, std::vector<SkippedLine>* skipped = nullptr);

// Splits one line into words: blanks separate them; double quotes keep blanks inside a word and are removed; as on
// Windows' command lines, \" is a double quote inside a word and backslashes before a quote are halved.
Result<std::vector<std::string>> split_command_line(std::string_view line);

enum class BatchOutcome { Created, Updated, Unchanged, Deleted };
std::string_view outcome_name(BatchOutcome outcome);  // "created", "updated", "unchanged", "deleted"

struct BatchChange {
  std::size_t line = 0;
  std::string key;  // the binding's key parameter ("ipport=0.0.0.0:443"), or an iplisten line's "ipaddress=..."
  BatchOutcome outcome = BatchOutcome::Unchanged;
};

// Applies the lines in order. With add_or_update, `add` on a taken key updates it (or leaves it, if the settings
// are the same), `update` on a free key adds it, and `delete` of a missing key is unchanged: a script can run again
// and again. Without it, netsh's rules hold (183 and 2). The first failure stops everything; its error names the line.
// The lines are consumed, so that a batch of 100k bindings is not held twice. `failed_verb`, if given, is set to the
// verb of the line that failed, so that the caller can print netsh's text for it.
Result<std::vector<BatchChange>> apply_batch(RegistryState& state, std::vector<BatchLine> lines, bool add_or_update,
                                             Verb* failed_verb = nullptr);

}  // namespace sslbind
