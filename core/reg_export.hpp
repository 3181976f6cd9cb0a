#pragma once
// A Windows .reg file (Windows Registry Editor Version 5.00) of the bindings, as regedit would export the keys
// HTTP.SYS reads, for moving a configuration to Windows. regedit reads version 5 files as UTF-16LE with a byte
// order mark and CRLF line ends, which is what this writes.
#include <string>

#include "core/registry_state.hpp"

namespace sslbind {

// The bytes of the file: UTF-16LE with a byte order mark and CRLF line ends.
std::string reg_file(const RegistryState& state);

}  // namespace sslbind
