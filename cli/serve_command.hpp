#pragma once
// serve (the TLS front end) and show frontend (its status, read from the admin socket).
#include <span>
#include <string>

#include "cli/context.hpp"

namespace sslbind::cli {

std::string serve_usage();
int run_serve(const Context& ctx, std::span<const std::string> arguments);

std::string frontend_usage();
int run_frontend(const Context& ctx, Verb verb, std::span<const std::string> arguments);

}  // namespace sslbind::cli
