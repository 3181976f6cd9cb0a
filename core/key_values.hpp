#pragma once
// The key=value words of the commands other than sslcert (cert, ccs, resolve, check, init): names match without
// regard to case, each at most once, and only the names the command takes.
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sslbind {

// One command-line word split at its first '='. Refused: a word without '=' (the error shows `example`) and a word
// that is not valid UTF-8 (the registry and the JSON output hold only UTF-8; the error names the byte).
struct KeyValueWord {
  std::string_view name;
  std::string_view value;
};
Result<KeyValueWord> split_argument(const std::string& word, std::string_view example);

// InvalidParameter naming the first byte that is not UTF-8, if any.
Status check_utf8(std::string_view value, std::string_view what);

// The error for a name the command does not take.
Error unknown_parameter(std::string_view name, std::string_view command);

class KeyValues {
 public:
  // `command` ("add cert") and `example` ("file=www.pfx") go into the error texts.
  static Result<KeyValues> parse(std::span<const std::string> words, std::span<const std::string_view> names,
                                 std::string_view command, std::string_view example);

  bool has(std::string_view name) const { return values_.contains(name); }
  std::optional<std::string> get(std::string_view name) const;

 private:
  std::map<std::string_view, std::string> values_;  // keyed by the canonical (lower-case) name from `names`
};

// A path given on the command line: not empty, no NUL byte.
Status check_path(std::string_view value, std::string_view what);

}  // namespace sslbind
