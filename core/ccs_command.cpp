#include "core/ccs_command.hpp"

#include <array>

#include "core/key_values.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::array<std::string_view, 5> kSettingParams{"location", "privatekeypassword", "passwordfile", "username",
                                                         "pollinginterval"};

}  // namespace

std::span<const std::string_view> ccs_parameters(Verb verb) {
  if (verb == Verb::Add || verb == Verb::Update) return kSettingParams;
  return {};
}

Result<CcsCommand> parse_ccs_arguments(Verb verb, std::span<const std::string> arguments) {
  CcsCommand cmd;
  cmd.verb = verb;
  const std::string verb_text = std::string(verb_name(verb)) + " ccs";
  auto kv = KeyValues::parse(arguments, ccs_parameters(verb), verb_text, "location=/srv/ccs");
  if (!kv) return kv.error();
  for (std::string_view path_param : {"location", "passwordfile"}) {
    if (auto value = kv->get(path_param)) {
      if (auto s = check_path(*value, path_param); !s) return s.error();
    }
  }
  if (kv->has("privatekeypassword") && kv->has("passwordfile")) {
    return invalid("give privatekeypassword= or passwordfile=, not both");
  }
  cmd.location = kv->get("location");
  cmd.private_key_password = kv->get("privatekeypassword");
  cmd.password_file = kv->get("passwordfile");
  cmd.user_name = kv->get("username");
  if (auto polling = kv->get("pollinginterval")) {
    const auto seconds = text::parse_decimal(*polling, 0xFFFFFFFFu);
    if (!seconds || *seconds == 0) {
      return invalid("pollinginterval " + text::quote(*polling) + " is not a number of seconds from 1 to 4294967295");
    }
    cmd.polling_interval = static_cast<std::uint32_t>(*seconds);
  }
  if (verb == Verb::Add && !cmd.location) {
    return Error(ErrorCode::MissingParameters, "add ccs needs location=<folder of the .pfx files>");
  }
  return cmd;
}

}  // namespace sslbind
