#include "core/cert_command.hpp"

#include <array>
#include <set>

#include "core/binding.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

struct CertParam {
  std::string_view name;
  std::array<bool, 4> verbs;  // add, update, delete, show
};

constexpr std::array<CertParam, 6> kParams{{
    {"file", {true, false, false, false}},
    {"keyfile", {true, false, false, false}},
    {"password", {true, false, false, false}},
    {"passwordfile", {true, false, false, false}},
    {"certstorename", {true, false, true, true}},
    {"certhash", {false, false, true, false}},
}};

Status check_path(std::string_view value, std::string_view what) {
  if (value.empty()) return invalid(std::string(what) + " is empty; give the path of a file");
  if (value.find('\0') != std::string_view::npos) return invalid(std::string(what) + " contains a NUL byte");
  return Ok{};
}

}  // namespace

Result<CertCommand> parse_cert_arguments(Verb verb, std::span<const std::string> arguments) {
  CertCommand cmd;
  cmd.verb = verb;
  const std::string verb_text = std::string(verb_name(verb)) + " cert";
  if (verb == Verb::Update) {
    return invalid("update cert is not a command: add the certificate again to replace it");
  }
  std::set<std::string_view> given;
  for (const std::string& word : arguments) {
    const std::size_t eq = word.find('=');
    if (eq == std::string::npos) return invalid(text::quote(word) + " is not of the form key=value, e.g. file=www.pfx");
    const std::string_view name = std::string_view(word).substr(0, eq);
    const std::string value = word.substr(eq + 1);
    const CertParam* spec = nullptr;
    for (const auto& p : kParams) {
      if (text::iequals(p.name, name)) spec = &p;
    }
    if (spec == nullptr || !spec->verbs[static_cast<std::size_t>(verb)]) {
      return invalid(text::quote(name) + " is not a parameter of " + verb_text + "; see 'sslbind " + verb_text +
                     " help'");
    }
    if (!given.insert(spec->name).second) return invalid(std::string(spec->name) + "= is given twice");
    if (spec->name == "file" || spec->name == "keyfile" || spec->name == "passwordfile") {
      if (auto s = check_path(value, spec->name); !s) return s.error();
    }
    if (spec->name == "file") cmd.file = value;
    else if (spec->name == "keyfile") cmd.key_file = value;
    else if (spec->name == "password") cmd.password = value;
    else if (spec->name == "passwordfile") cmd.password_file = value;
    else if (spec->name == "certstorename") {
      if (auto s = validate_store_name(value, "certstorename"); !s) return s.error();
      cmd.store = value;
    } else if (spec->name == "certhash") {
      auto t = Thumbprint::parse(value);
      if (!t) return t.error();
      cmd.certhash = *t;
    }
  }
  if (given.contains("password") && given.contains("passwordfile")) {
    return invalid("give password= or passwordfile=, not both");
  }
  if (verb == Verb::Add && !given.contains("file")) {
    return Error(ErrorCode::MissingParameters, "add cert needs file=<path of a .pfx or .pem file>");
  }
  if (verb == Verb::Delete && !given.contains("certhash")) {
    return Error(ErrorCode::MissingParameters, "delete cert needs certhash=<thumbprint>");
  }
  return cmd;
}

}  // namespace sslbind
