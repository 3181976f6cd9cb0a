#include "core/command_catalog.hpp"

#include "core/ccs_command.hpp"
#include "core/cert_command.hpp"
#include "core/parameters.hpp"
#include "core/tool_commands.hpp"

namespace sslbind {
namespace {

constexpr Verb kVerbs[] = {Verb::Add, Verb::Update, Verb::Delete, Verb::Show};

std::vector<std::string> names(std::span<const std::string_view> list) { return {list.begin(), list.end()}; }

}  // namespace

std::vector<CatalogEntry> command_catalog() {
  std::vector<CatalogEntry> out;
  for (Verb verb : kVerbs) {
    const std::string v(verb_name(verb));
    CatalogEntry sslcert{v + " sslcert", {}};
    for (const ParamSpec& p : sslcert_parameters()) {
      if (sslcert_verb_takes(verb, p)) sslcert.parameters.emplace_back(p.name);
    }
    out.push_back(std::move(sslcert));
    if (verb != Verb::Update) out.push_back({v + " cert", names(cert_parameters(verb))});
    out.push_back({v + " ccs", names(ccs_parameters(verb))});
  }
  out.push_back({"init", {}});
  out.push_back({"resolve", names(resolve_parameters())});
  out.push_back({"check", names(check_parameters())});
  out.push_back({"export reg", names(interchange_parameters())});
  out.push_back({"import netsh", names(interchange_parameters())});
  return out;
}

std::vector<std::string> catalog_verbs_and_tools() {
  std::vector<std::string> out;
  for (Verb verb : kVerbs) out.emplace_back(verb_name(verb));
  for (Tool tool : {Tool::Init, Tool::Resolve, Tool::Check, Tool::Export, Tool::Import}) {
    out.emplace_back(tool_name(tool));
  }
  return out;
}

std::vector<std::string> parameter_choices(std::string_view parameter) {
  if (const ParamSpec* p = find_parameter(parameter)) {
    if (p->type == ParamType::Toggle || p->type == ParamType::JsonSwitch) return {"enable", "disable"};
    if (p->type == ParamType::StoreName) return {"MY", "WebHosting"};
  }
  return {};
}

std::vector<std::string> path_parameters() { return {"file", "keyfile", "passwordfile", "location"}; }

std::vector<std::string> catalog_objects(std::string_view first) {
  std::vector<std::string> out;
  for (const auto& e : command_catalog()) {
    const auto space = e.command.find(' ');
    if (space == std::string::npos || std::string_view(e.command).substr(0, space) != first) continue;
    out.push_back(e.command.substr(space + 1));
  }
  return out;
}

}  // namespace sslbind
