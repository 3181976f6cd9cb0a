#pragma once
// Usage texts, in netsh's shape, generated from the parameter table.
#include <optional>
#include <string>

#include "core/verb.hpp"

namespace sslbind::cli {

std::string usage(Verb verb);
std::string sslpropertyex_usage();
std::string webfarm_usage();
std::string route_usage();
std::string cert_usage();
std::string ccs_usage();
std::string iplisten_usage(Verb verb);
std::string tls_policy_usage();
std::string init_usage();
std::string dump_usage();
std::string resolve_usage();
std::string check_usage();
std::string interchange_usage();

}  // namespace sslbind::cli
