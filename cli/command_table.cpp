#include "cli/command_table.hpp"

#include <algorithm>

#include "cli/commands.hpp"
#include "cli/serve_command.hpp"
#include "cli/usage.hpp"
#include "core/ccs_command.hpp"
#include "core/cert_command.hpp"
#include "core/farm_command.hpp"
#include "core/ip_listen.hpp"
#include "core/parameters.hpp"
#include "core/serve_command.hpp"
#include "core/sslcert_command.hpp"
#include "core/text.hpp"
#include "core/tls_policy.hpp"
#include "core/tool_commands.hpp"

namespace sslbind::cli {
namespace {

std::vector<std::string> names(std::span<const std::string_view> list) { return {list.begin(), list.end()}; }

std::vector<std::string> sslcert_parameter_names(Verb verb) {
  std::vector<std::string> out;
  for (const ParamSpec& p : sslcert_parameters()) {
    if (sslcert_verb_takes(verb, p)) out.emplace_back(p.name);
  }
  return out;
}

const std::vector<ObjectCommand>& objects() {
  static const std::vector<ObjectCommand> kObjects = {
      {"sslcert",
       {{Verb::Add, "Adds an SSL server certificate binding."},
        {Verb::Delete, "Deletes an SSL server certificate binding."},
        {Verb::Show, "Displays SSL server certificate bindings."},
        {Verb::Update, "Updates an SSL server certificate binding."}},
       usage,
       sslcert_parameter_names,
       run_sslcert},
      {"sslpropertyex",
       {{Verb::Update, "Sets an extended property (HTTP/2 window, SETTINGS limits) of a binding."}},
       [](Verb) { return sslpropertyex_usage(); },
       [](Verb) { return names(sslpropertyex_parameters()); },
       run_sslpropertyex},
      {"cert",
       {{Verb::Add, "Adds a certificate (PFX or PEM) to a certificate store."},
        {Verb::Delete, "Deletes a certificate from a certificate store."},
        {Verb::Show, "Lists the certificates of one store or of every store."}},
       [](Verb) { return cert_usage(); },
       [](Verb v) { return names(cert_parameters(v)); },
       run_cert},
      {"ccs",
       {{Verb::Add, "Enables the Central Certificate Store provider on a folder of <hostname>.pfx files."},
        {Verb::Update, "Changes the provider's folder, password or polling interval."},
        {Verb::Delete, "Disables the provider (its folder is kept for a later add)."},
        {Verb::Show, "Shows the provider and every certificate its folder serves."}},
       [](Verb) { return ccs_usage(); },
       [](Verb v) { return names(ccs_parameters(v)); },
       run_ccs},
      {"iplisten",
       {{Verb::Add, "Adds an address to the IP listen list."},
        {Verb::Delete, "Deletes an address from the IP listen list."},
        {Verb::Show, "Shows the IP listen list."}},
       iplisten_usage,
       [](Verb v) { return names(iplisten_parameters(v)); },
       run_iplisten},
      {"tlspolicy",
       {{Verb::Show, "Shows the machine-wide TLS policy (set it with: set tlspolicy)."}},
       [](Verb) { return tls_policy_usage(); },
       [](Verb) { return std::vector<std::string>{}; },
       run_show_tls_policy},
      {"webfarm",
       {{Verb::Add, "Adds a web farm: the web workers serve sends decrypted requests to."},
        {Verb::Update, "Changes a web farm's servers, health check, balancing or X-ARR-SSL."},
        {Verb::Delete, "Deletes a web farm that no route uses."},
        {Verb::Show, "Lists the web farms."}},
       [](Verb) { return webfarm_usage(); },
       [](Verb v) { return names(webfarm_parameters(v)); },
       run_webfarm},
      {"route",
       {{Verb::Add, "Sends the requests for a host (exact, *.domain or *) to a web farm."},
        {Verb::Delete, "Deletes a route."},
        {Verb::Show, "Lists the routes."}},
       [](Verb) { return route_usage(); },
       [](Verb v) { return names(route_parameters(v)); },
       run_route},
      {"frontend",
       {{Verb::Show, "Shows the running front end: snapshot, listeners, handshakes, failures, certificates."}},
       [](Verb) { return frontend_usage(); },
       [](Verb) { return names(frontend_parameters()); },
       run_frontend},
      {"farm",
       {{Verb::Show, "Lists the front ends that follow the registry on etcd, and how far each is."}},
       [](Verb) { return show_farm_usage(); },
       [](Verb) { return std::vector<std::string>{}; },
       run_show_farm},
  };
  return kObjects;
}

const std::vector<ToolCommand>& tools() {
  static const std::vector<ToolCommand> kTools = {
      {"init", "", "", "Creates the Default certificate and the bindings ipport=0.0.0.0:443 and ccs=443.", init_usage,
       [] { return std::vector<std::string>{}; }, run_init},
      {"resolve", "", "", "Tells which certificate a client gets, and why.", resolve_usage,
       [] { return names(resolve_parameters()); }, run_resolve},
      {"check", "", "", "Finds bindings and certificates that give clients the wrong certificate.", check_usage,
       [] { return names(check_parameters()); }, run_check},
      {"set", "tlspolicy", "set tlspolicy profile=modern|intermediate|old [protocols=] [ciphers=] ...",
       "Sets the machine-wide TLS policy: a Mozilla profile, or what to change of it.", tls_policy_usage,
       [] { return names(tls_policy_parameters()); }, run_set_tls_policy},
      {"export", "reg", "export reg file=<path>|-", "Writes the bindings as a Windows .reg file.", interchange_usage,
       [] { return names(interchange_parameters()); }, run_export},
      {"import", "netsh", "[--dry-run] [--add-or-update] [--missing-certificates=allow] import netsh file=<path>|-",
       "Adds the bindings of a `netsh http show sslcert` listing from Windows.", interchange_usage,
       [] { return names(interchange_parameters()); }, run_import},
      {"import", "reg", "[--dry-run] [--add-or-update] [--missing-certificates=allow] import reg file=<path>|-",
       "Adds the bindings of a .reg file: Windows' reg export, or export reg.", interchange_usage,
       [] { return names(interchange_parameters()); }, run_import},
      {"export", "farmkey", "export farmkey file=<path>",
       "Writes the key that seals the registry's secrets, for the farm's other front ends.", interchange_usage,
       [] { return names(interchange_parameters()); }, run_export},
      {"import", "farmkey", "import farmkey file=<path>|-",
       "Installs the farm's key: the secrets of a registry on etcd open on this front end too.", interchange_usage,
       [] { return names(interchange_parameters()); }, run_import},
      {"dump", "", "", "Prints the bindings as a script of add commands, as netsh http dump does.", dump_usage,
       [] { return std::vector<std::string>{}; }, run_dump},
      {"serve", "", "", "Runs the TLS front end: serves every binding by HTTP.SYS's order, live.", serve_usage,
       [] { return names(serve_parameters()); }, run_serve},
  };
  return kTools;
}

bool takes(const ObjectCommand& o, Verb verb) {
  return std::any_of(o.verbs.begin(), o.verbs.end(), [&](const auto& v) { return v.first == verb; });
}

bool verb_takes_object(Verb verb, std::string_view object) {
  return std::any_of(objects().begin(), objects().end(),
                     [&](const ObjectCommand& o) { return o.name == object && takes(o, verb); });
}

std::string help_row(const std::string& command, std::string_view line) {
  constexpr std::size_t kColumn = 15;
  std::string row = command;
  row.append(row.size() < kColumn ? kColumn - row.size() : 1, ' ');
  return row + "- " + std::string(line) + "\n";
}

}  // namespace

std::span<const ObjectCommand> object_commands() { return objects(); }
std::span<const ToolCommand> tool_commands() { return tools(); }

CommandNames command_names() {
  static const auto kNames = [] {
    std::pair<std::vector<std::string_view>, std::vector<std::string_view>> n;
    for (const auto& o : objects()) n.first.push_back(o.name);
    for (const auto& t : tools()) {
      if (std::find(n.second.begin(), n.second.end(), t.name) == n.second.end()) n.second.push_back(t.name);
    }
    return n;
  }();
  return {kNames.first, kNames.second, verb_takes_object};
}

const ObjectCommand& object_command(std::string_view name) {
  return *std::find_if(objects().begin(), objects().end(), [&](const auto& o) { return o.name == name; });
}

const ToolCommand& tool_command(std::string_view name, std::span<const std::string> arguments) {
  const auto named = [&](const ToolCommand& t) { return t.name == name; };
  const auto found = std::find_if(tools().begin(), tools().end(), [&](const ToolCommand& t) {
    return named(t) && !arguments.empty() && !t.object.empty() && text::iequals(t.object, arguments.front());
  });
  return found != tools().end() ? *found : *std::find_if(tools().begin(), tools().end(), named);
}

std::vector<CatalogEntry> command_catalog() {
  std::vector<CatalogEntry> out;
  for (Verb verb : kVerbs) {
    for (const auto& o : objects()) {
      if (takes(o, verb)) out.push_back({std::string(verb_name(verb)) + " " + std::string(o.name), o.parameters(verb)});
    }
  }
  for (const auto& t : tools()) {
    out.push_back({std::string(t.name) + (t.object.empty() ? "" : " " + std::string(t.object)), t.parameters()});
  }
  return out;
}

std::vector<std::string> catalog_first_words() {
  std::vector<std::string> out;
  for (Verb verb : kVerbs) out.emplace_back(verb_name(verb));
  for (const auto& t : tools()) {
    if (std::find(out.begin(), out.end(), t.name) == out.end()) out.emplace_back(t.name);
  }
  return out;
}

std::vector<std::string> catalog_objects(std::string_view first) {
  std::vector<std::string> out;
  for (const auto& e : command_catalog()) {
    const auto space = e.command.find(' ');
    if (space == std::string::npos || std::string_view(e.command).substr(0, space) != first) continue;
    out.push_back(e.command.substr(space + 1));
  }
  return out;
}

std::string general_help() {
  constexpr std::string_view kGlobal = "       sslbind [--root DIR] [--json] ";
  std::string plain_tools;
  std::string tool_lines;
  for (const auto& t : tools()) {
    if (t.synopsis.empty())
      plain_tools += (plain_tools.empty() ? "" : "|") + std::string(t.name);
    else
      tool_lines += std::string(kGlobal) + std::string(t.synopsis) + "\n";
  }
  std::string text = "Usage: sslbind [--root DIR] [--json] [http] <command> ";
  for (std::size_t i = 0; i < objects().size(); ++i) text += (i == 0 ? "" : "|") + std::string(objects()[i].name);
  text += " [key=value ...]\n" + std::string(kGlobal) + plain_tools + " [key=value ...]\n" + tool_lines +
          std::string(kGlobal) +
          "[--dry-run] [--add-or-update] [--missing-certificates=allow] -f FILE\n"
          "\n"
          "The following commands are available:\n"
          "\n"
          "Commands in this context:\n";
  for (const auto& o : objects()) {
    for (const auto& [verb, line] : o.verbs)
      text += help_row(std::string(verb_name(verb)) + " " + std::string(o.name), line);
  }
  for (const auto& t : tools()) {
    text += help_row(std::string(t.name) + (t.object.empty() ? "" : " " + std::string(t.object)), t.help_line);
  }
  return text +
         "\n"
         "Options:\n"
         "  --root DIR     folder of the registry (default: $SSLBIND_ROOT, /etc/sslbind for root,\n"
         "                 else $XDG_CONFIG_HOME/sslbind)\n"
         "  --json         print the result, or the error, as one JSON document on standard output\n"
         "  -f FILE        run the add/update/delete sslcert and update sslpropertyex lines of FILE (- for\n"
         "                 stdin) as one transaction\n"
         "  --dry-run      with -f or import netsh: print what would change, write nothing\n"
         "  --add-or-update  with -f or import netsh: add updates a taken key, delete of a missing key is\n"
         "                 no error; each line is reported as created, updated, unchanged or deleted\n"
         "  --missing-certificates=allow  with -f or import netsh: import bindings whose certificate is not in\n"
         "                 its store yet (each is listed; check, resolve and serve report certificate-missing);\n"
         "                 the default, refuse, is netsh's 1312 naming every missing certificate\n"
         "  --completion SHELL  print the completion script for bash, zsh or fish\n"
         "  --version      print the version\n"
         "\n"
         "Type 'sslbind <command> <object> help' or 'sslbind resolve help' for the parameters of a command.\n"
         "Exit codes: 0 ok, 1 operation failed, 2 bad command or parameter, 3 registry unreadable or unwritable,\n"
         "            4 internal error (a bug: please report it).\n";
}

}  // namespace sslbind::cli
