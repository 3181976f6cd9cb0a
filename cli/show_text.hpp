#pragma once
// netsh's `show sslcert` text layout (Windows Server 2022: three blank lines after the dashes, labels padded to
// column 29), which sslbind's other `show` texts follow.
#include <string>
#include <vector>

#include "core/binding.hpp"
#include "core/show_layout.hpp"

namespace sslbind::cli {

// "\nSSL Certificate bindings:\n-------------------------\n\n\n\n", as Windows Server 2022 prints it; earlier
// generations print one blank line after the dashes.
std::string show_header(const ShowGeneration& generation = show_generations().front());
// The entry's lines and the blank line after it: the fields and Extended Properties `generation` prints.
std::string show_entry(const Binding& binding, const ShowGeneration& generation = show_generations().front());
// "    <label padded to 29> : <value>\n"; a label of 29 or more gets one space before the colon.
void field_line(std::string& out, std::string_view label, std::string_view value);

}  // namespace sslbind::cli
