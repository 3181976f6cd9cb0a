#pragma once
// The whole command line, as the binary runs it, with the streams given: main() calls it, and tests call it
// in-process to check texts, JSON and exit codes.
#include <iosfwd>
#include <string>
#include <vector>

namespace sslbind::cli {

// `arguments` excludes the program name. Never throws: an unexpected exception is reported as exit code 4.
int run_command_line(const std::vector<std::string>& arguments, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace sslbind::cli
