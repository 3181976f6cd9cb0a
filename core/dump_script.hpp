#pragma once
// `sslbind dump`: the bindings as a script in the form of `netsh http dump` (a pushd http ... popd block of add
// sslcert commands with every setting spelled out), which `sslbind -f` runs as it is to recreate them: a backup
// that is also readable, and a way to move bindings between machines.
#include <string>

#include "core/registry_state.hpp"

namespace sslbind {

// The IP listen list comes first, as `add iplisten` lines in the order it was made.
std::string dump_script(const RegistryState& state);

}  // namespace sslbind
