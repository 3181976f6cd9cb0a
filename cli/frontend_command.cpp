// show frontend: the running front end's status from its admin socket, as text or --json.
#include <nlohmann/json.hpp>

#include "cli/json_output.hpp"
#include "cli/serve_command.hpp"
#include "core/serve_command.hpp"
#include "serve/admin_client.hpp"
#include "serve/server.hpp"

namespace sslbind::cli {
namespace {

std::string counts(const nlohmann::json& object) {
  std::string out;
  for (const auto& [name, value] : object.items()) {
    if (value.is_number() && value.get<std::int64_t>() != 0)
      out += (out.empty() ? "" : ", ") + name + " " + value.dump();
  }
  return out.empty() ? "none" : out;
}

std::string status_text(const nlohmann::json& s) {
  const auto& c = s["connections"];
  const auto& cache = s["cache"];
  std::string text = "Front end (pid " + s["pid"].dump() + ", root " + s["root"].get<std::string>() + ")\n";
  text += "    Snapshot            : generation " + s["generation"].dump() + ", " + s["snapshotAgeSeconds"].dump() +
          " s old, " + s["bindings"].dump() + " bindings\n";
  std::string listeners;
  for (const auto& l : s["listeners"]) listeners += (listeners.empty() ? "" : " ") + l.get<std::string>();
  text += "    Listeners           : " + listeners + "\n";
  text += "    Connections         : " + c["active"].dump() + " open, " + c["accepted"].dump() + " accepted, " +
          c["resumed"].dump() + " resumed\n";
  if (c.contains("http2")) {
    const auto& h2 = c["http2"];
    text += "    HTTP/2              : " + h2["connections"].dump() + " connections, " + h2["streams"].dump() +
            " streams, resets " + h2["clientResets"].dump() + " by clients and " + h2["serverResets"].dump() +
            " by serve, " + h2["goaways"].dump() + " GOAWAYs, " + h2["floodCloses"].dump() + " flood closes\n";
  }
  text += "    Handshakes by step  : " + counts(c["handshakesByStep"]) + "\n";
  text += "    Failures            : " + counts(c["failures"]) + "\n";
  text += "    Certificate cache   : " + cache["entries"].dump() + " entries, " + cache["bytes"].dump() + " bytes, " +
          cache["hits"].dump() + " hits, " + cache["loads"].dump() + " loads, " + cache["loadFailures"].dump() +
          " failed, " + cache["evictions"].dump() + " evicted\n";
  for (const auto& e : cache["certificates"]) {
    text += "        " + e["source"].get<std::string>() + ": " +
            (e.contains("certhash") ? e["certhash"].get<std::string>() + (e["expired"].get<bool>() ? " (expired)" : "")
                                    : "unusable: " + e["error"].get<std::string>()) +
            ", " + e["hits"].dump() + " hits\n";
  }
  if (s["ccs"].is_object()) {
    text += "    Central Cert Store  : " +
            (s["ccs"].contains("error") ? s["ccs"]["error"].get<std::string>()
                                        : s["ccs"]["folder"].get<std::string>() + ", " +
                                              (s["ccs"].value("listed", true) ? s["ccs"]["files"].dump() + " files"
                                                                              : std::string("being listed")) +
                                              ", polled every " + s["ccs"]["pollingInterval"].dump() + " s") +
            "\n";
  }
  for (const auto& b : s["backends"]) {
    text +=
        "    Backend             : " + b["address"].get<std::string>() + (b["up"].get<bool>() ? " up" : " down") + "\n";
  }
  if (s.contains("webWorkers")) {
    for (const auto& [server, w] : s["webWorkers"].items()) {
      text += "    Web worker          : " + server + (w["up"].get<bool>() ? " up, " : " down, ") +
              w["requests"].dump() + " requests, " + w["inFlight"].dump() + " in flight, " + w["failures"].dump() +
              " failures, responses " + counts(w["responses"]) + "\n";
    }
  }
  return text;
}

}  // namespace

std::string frontend_usage() {
  return "Usage: sslbind [--root DIR] [--json] show frontend [admin=SOCKET]\n"
         "\n"
         "Shows the running front end (sslbind serve): its snapshot generation and age, listeners,\n"
         "connections, handshakes by selection step, failures by reason, and the certificate cache.\n"
         "The admin socket defaults to <root>/admin.sock.\n";
}

int run_frontend(const Context& ctx, Verb verb, std::span<const std::string> arguments) {
  const CommandInfo info{std::string(verb_name(verb)) + " frontend", verb, "Front End", frontend_usage()};
  if (verb != Verb::Show) {
    return fail(ctx,
                invalid(std::string(verb_name(verb)) + " frontend is not a command: the front end is started "
                                                       "with 'sslbind serve' and shown with 'sslbind show frontend'"),
                info);
  }
  auto admin = parse_frontend_arguments(arguments);
  if (!admin) return fail(ctx, admin.error(), info);
  const auto socket = *admin ? std::filesystem::path(**admin) : serve::default_admin_socket(ctx.root);
  auto reply = serve::query_admin(socket, "status");
  if (!reply) return fail(ctx, reply.error(), info);
  auto status = nlohmann::json::parse(*reply, nullptr, false);
  if (!status.is_object() || status.value("status", "") != "ok") {
    return fail(ctx, Error(ErrorCode::SourceUnavailable, "the front end on " + socket.string() + " gave no status"),
                info);
  }
  nlohmann::ordered_json out = ok_json(info.name);
  out["frontend"] = nlohmann::ordered_json::parse(status.dump());
  return succeed(ctx, out, status_text(status));
}

}  // namespace sslbind::cli
