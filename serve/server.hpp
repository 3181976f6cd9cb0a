#pragma once
// `sslbind serve`: the control thread and the I/O threads of one front end. The control thread reads the registry
// (at start, on every committed change seen by inotify, on SIGHUP), builds the snapshot and posts it to every I/O
// thread; re-lists the CCS folder every PollingInterval and on local changes; evicts idle certificates; answers the
// admin socket; and on SIGTERM stops accepting and drains the connections for up to 10 s.
#include <filesystem>
#include <memory>

#include "core/serve_command.hpp"
#include "store/registry.hpp"

namespace sslbind::serve {

// Runs until SIGTERM or SIGINT. Returns 0 after a clean stop, 3 when the registry cannot be read at start, 1 when the
// admin socket or the TLS context cannot be set up. Logs one line per event to standard error.
int run_server(const ServeCommand& command, const std::filesystem::path& root, store::Registry& registry);

// The admin socket's default place: <root>/admin.sock.
std::filesystem::path default_admin_socket(const std::filesystem::path& root);

}  // namespace sslbind::serve
