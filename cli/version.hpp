#pragma once
#include <string>

namespace sslbind::cli {

// "0.1.0 (commit 1a2b3c4d5e6f)" when built from a git work tree, "0.1.0" otherwise; the number is project()'s.
std::string version_text();

}  // namespace sslbind::cli
