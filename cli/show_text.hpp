#pragma once
// netsh's `show sslcert` text layout (Windows Server 2019 and later: one blank line after the dashes, labels
// padded to column 29).
#include <string>
#include <vector>

#include "core/binding.hpp"

namespace sslbind::cli {

// "\nSSL Certificate bindings:\n-------------------------\n\n\n\n", as Windows Server 2022 prints it.
std::string show_header();
std::string show_entry(const Binding& binding);  // the entry's lines and the blank line after it

}  // namespace sslbind::cli
