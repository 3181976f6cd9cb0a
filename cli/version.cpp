#include "cli/version.hpp"

#include "sslbind_version_text.hpp"  // written at build time by cli/version.cmake

namespace sslbind::cli {

std::string version_text() { return SSLBIND_VERSION_TEXT; }

}  // namespace sslbind::cli
