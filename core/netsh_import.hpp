#pragma once
// Reads the text of `netsh http show sslcert` as Windows prints it (the layouts of Windows Server 2008 R2 to 2022:
// fewer or more fields, extra blank lines, Extended Properties) into add commands, one per binding.
#include <string_view>
#include <vector>

#include "core/batch.hpp"

namespace sslbind {

// Each binding becomes an `add sslcert` line numbered by the line of its key ("IP:port : 0.0.0.0:443"); its values
// go through the same parser as the command line. A line that cannot be read is refused with its number.
Result<std::vector<BatchLine>> parse_netsh_show(std::string_view text);

}  // namespace sslbind
