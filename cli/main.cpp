// sslbind: netsh-compatible management of TLS certificate bindings. The process only hands its arguments and its
// standard streams to the cli library.
#include <iostream>
#include <string>
#include <vector>

#include "cli/run.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  return sslbind::cli::run_command_line(arguments, std::cin, std::cout, std::cerr);
}
