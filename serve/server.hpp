#pragma once
// `sslbind serve`: the control thread and the I/O threads of one front end. The control thread reads the registry
// (at start, on every committed change seen by inotify, on SIGHUP), builds the snapshot and posts it to every I/O
// thread; re-lists the CCS folder every PollingInterval and on local changes; evicts idle certificates; answers the
// admin socket; and on SIGTERM stops accepting and drains the connections for up to 10 s.
#include <filesystem>
#include <memory>

#include "core/result.hpp"
#include "core/serve_command.hpp"
#include "store/registry.hpp"

namespace sslbind::serve {

// Runs until SIGTERM or SIGINT, and is ok after a clean stop. Otherwise it could not start, and says why (already
// logged): RegistryUnreadable, InvalidParameter (the admin socket's path holds something else), SourceUnavailable
// (the admin socket, the metrics endpoint or the TLS context cannot be set up). Logs one line per event to standard
// error.
Status run_server(const ServeCommand& command, const std::filesystem::path& root, store::Registry& registry);

// The admin socket's default place: <root>/admin.sock.
std::filesystem::path default_admin_socket(const std::filesystem::path& root);

}  // namespace sslbind::serve
