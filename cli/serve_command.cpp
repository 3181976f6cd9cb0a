// serve: runs the front end in the foreground until SIGTERM; the output is the log on standard error.
#include "cli/serve_command.hpp"

#include "cli/exit_codes.hpp"
#include "core/serve_command.hpp"
#include "serve/server.hpp"

namespace sslbind::cli {

std::string serve_usage() {
  return "Usage: sslbind [--root DIR] serve [threads=N] [backend=IP:PORT[,IP:PORT...]]\n"
         "              [proxyprotocol=enable|disable] [admin=SOCKET] [maxconnections=N]\n"
         "              [handshaketimeout=S] [idletimeout=S] [responsetimeout=S]\n"
         "              [accesslog=PATH|stderr] [accesslogformat=text|json] [metrics=[IP:]PORT]\n"
         "              [ccslistingtimeout=S]\n"
         "\n"
         "Terminates TLS for every binding of the registry, choosing each connection's certificate by\n"
         "HTTP.SYS's order exactly as 'sslbind resolve' explains it. It listens on [::]:port for every port\n"
         "that has a binding (IPv4 clients included) and on the address of each ipport binding that is local.\n"
         "Certificates are loaded on first use; registry changes apply to new handshakes at once; the CCS\n"
         "folder is re-read every PollingInterval and when it changes. With web farms and routes in the\n"
         "registry (add webfarm, add route), each request goes to the farm of its Host over HTTP/1.1, with\n"
         "X-Forwarded-For, X-Forwarded-Proto and X-ARR-SSL, as ARR offloads SSL.\n"
         "\n"
         "Parameters:\n"
         "\n"
         "    Tag              Value\n"
         "    threads        - I/O threads (default: one per core).\n"
         "    backend        - web workers to forward the decrypted stream to as TCP, round robin, instead of\n"
         "                     the web farms; a backend that refuses is skipped for 10 s. Without it and\n"
         "                     without web farms, a built-in page answers every request.\n"
         "    proxyprotocol  - enable: send a PROXY protocol v2 header (client address, SNI, TLS) first.\n"
         "    admin          - the admin socket (default: <root>/admin.sock), read by 'sslbind show frontend'.\n"
         "    maxconnections - connections at once (default 10000); more are closed and counted.\n"
         "    handshaketimeout - seconds a client has to finish its TLS handshake (default 10).\n"
         "    idletimeout    - seconds a connection may stay silent both ways (default 60).\n"
         "    responsetimeout - seconds a web worker has to start its response (default 120); then 504.\n"
         "    accesslog      - one line per request to this file (or stderr), reopened on SIGHUP.\n"
         "    accesslogformat - text (default) or json: one JSON object per line.\n"
         "    ccslistingtimeout - seconds a handshake waits for the first listing of the CCS folder (default\n"
         "                     5); past it, a name without a file spelled in lower case falls through to the\n"
         "                     next binding while the listing goes on.\n"
         "    metrics        - answer GET /metrics in Prometheus' text format on this port of 127.0.0.1, or\n"
         "                     on IP:PORT (default: off). The counters are those of 'show frontend'.\n"
         "\n"
         "Signals: SIGTERM or SIGINT stop accepting and drain for up to 10 s; SIGHUP reads everything again.\n"
         "Exit codes: 0 stopped, 1 cannot start (admin socket), 2 bad parameter, 3 registry unreadable at start.\n"
         "\n"
         "Examples:\n"
         "\n"
         "         serve\n"
         "         serve backend=10.0.0.21:80,10.0.0.22:80 threads=2\n";
}

int run_serve(const Context& ctx, std::span<const std::string> arguments) {
  const CommandInfo info{"serve", std::nullopt, "SSL Certificate", serve_usage()};
  auto cmd = parse_serve_arguments(arguments);
  if (!cmd) return fail(ctx, cmd.error(), info);
  const Status served = serve::run_server(*cmd, ctx.root, *ctx.registry);
  if (served) return kExitOk;
  // serve has logged why in its own format; the exit code says which kind of failure it was.
  switch (served.error().code) {
    case ErrorCode::RegistryUnreadable: return kExitRegistry;
    case ErrorCode::InvalidParameter: return kExitUsage;
    default: return kExitOperationFailed;
  }
}

}  // namespace sslbind::cli
