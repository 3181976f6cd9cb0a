#pragma once
// Shell completion scripts generated from the command catalog: `sslbind --completion bash|zsh|fish`.
// completions/ holds their output, and a test checks that the files match.
#include <optional>
#include <string>
#include <string_view>

namespace sslbind::cli {

std::optional<std::string> completion_script(std::string_view shell);

}  // namespace sslbind::cli
