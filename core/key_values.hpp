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
