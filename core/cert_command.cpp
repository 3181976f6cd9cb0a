#include "core/cert_command.hpp"

#include <array>

#include "core/binding.hpp"
#include "core/key_values.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

// Which parameters each verb takes.
constexpr std::array<std::string_view, 5> kAddParams{"file", "keyfile", "password", "passwordfile", "certstorename"};
constexpr std::array<std::string_view, 2> kDeleteParams{"certhash", "certstorename"};
constexpr std::array<std::string_view, 1> kShowParams{"certstorename"};

}  // namespace

std::span<const std::string_view> cert_parameters(Verb verb) {
  if (verb == Verb::Add) return kAddParams;
  if (verb == Verb::Delete) return kDeleteParams;
  return kShowParams;
}

Result<CertCommand> parse_cert_arguments(Verb verb, std::span<const std::string> arguments) {
  CertCommand cmd;
  cmd.verb = verb;
  const std::string verb_text = std::string(verb_name(verb)) + " cert";
  if (verb == Verb::Update) {
    return invalid("update cert is not a command: add the certificate again to replace it");
  }
  auto kv = KeyValues::parse(arguments, cert_parameters(verb), verb_text, "file=www.pfx");
  if (!kv) return kv.error();
  for (std::string_view path_param : {"file", "keyfile", "passwordfile"}) {
    if (auto value = kv->get(path_param)) {
      if (auto s = check_path(*value, path_param); !s) return s.error();
    }
  }
  cmd.file = kv->get("file").value_or("");
  cmd.key_file = kv->get("keyfile");
  cmd.password = kv->get("password");
  cmd.password_file = kv->get("passwordfile");
  cmd.store = kv->get("certstorename");
  if (cmd.store) {
    if (auto s = validate_store_name(*cmd.store, "certstorename"); !s) return s.error();
  }
  if (auto hash = kv->get("certhash")) {
    auto t = Thumbprint::parse(*hash);
    if (!t) return t.error();
    cmd.certhash = *t;
  }
  if (kv->has("password") && kv->has("passwordfile")) {
    return invalid("give password= or passwordfile=, not both");
  }
  if (verb == Verb::Add && !kv->has("file")) {
    return Error(ErrorCode::MissingParameters, "add cert needs file=<path of a .pfx or .pem file>");
  }
  if (verb == Verb::Delete && !kv->has("certhash")) {
    return Error(ErrorCode::MissingParameters, "delete cert needs certhash=<thumbprint>");
  }
  return cmd;
}

}  // namespace sslbind
