#pragma once
// The client side of the admin socket, for `sslbind show frontend`: one request, one JSON document back.
#include <filesystem>
#include <string>

#include "core/result.hpp"

namespace sslbind::serve {

// SourceUnavailable when no front end answers on the socket.
Result<std::string> query_admin(const std::filesystem::path& socket, const std::string& request);

}  // namespace sslbind::serve
