#include "core/command.hpp"

#include <array>
#include <set>
#include <vector>

#include "core/parameters.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::array<Verb, 4> kVerbs{Verb::Add, Verb::Update, Verb::Delete, Verb::Show};

bool is_help_word(std::string_view w) {
  return text::iequals(w, "help") || w == "?" || w == "/?" || w == "-?" || w == "-h" || w == "--help";
}

Error unknown_command(std::span<const std::string> words, std::string why) {
  // The detail starts with the words as typed: the cli prints netsh's "The following command was not found: <words>".
  return Error(ErrorCode::UnknownCommand, text::join(words) + "\n" + why);
}

Result<Verb> match_verb(std::string_view word) {
  std::optional<Verb> found;
  for (Verb v : kVerbs) {
    const std::string_view name = verb_name(v);
    if (word.size() <= name.size() && text::iequals(name.substr(0, word.size()), word)) {
      if (text::iequals(name, word)) return v;
      if (found) return invalid("'" + std::string(word) + "' is ambiguous");
      found = v;
    }
  }
  if (!found || word.empty()) return invalid(text::quote(word) + " is not a command; the commands are add, update, delete, show, init, resolve, check, export and import");
  return *found;
}

Result<bool> parse_toggle(std::string_view name, std::string_view value) {
  if (text::iequals(value, "enable")) return true;
  if (text::iequals(value, "disable")) return false;
  return invalid(std::string(name) + " " + text::quote(value) + " is neither enable nor disable");
}

Result<std::uint32_t> parse_uint(std::string_view name, std::string_view value) {
  const auto v = text::parse_decimal(value, 0xFFFFFFFFu);
  if (!v) {
    const bool digits = !value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos;
    return invalid(std::string(name) + " " + text::quote(value) +
                   (digits ? " is above 4294967295" : " is not a decimal number") +
                   "; it takes an unsigned 32-bit number");
  }
  return static_cast<std::uint32_t>(*v);
}

// Applies one key=value to the command. Keys go to `keys` so that two of them can be reported together.
Status apply_argument(const ParamSpec& spec, std::string_view value, SslCertCommand& cmd,
                      std::vector<BindingKey>& keys) {
  SslSettings& s = cmd.settings;
  switch (spec.type) {
    case ParamType::IpPortKey: {
      auto ip = IpPort::parse(value);
      if (!ip) return ip.error();
      keys.push_back(BindingKey::ip(*ip));
      return Ok{};
    }
    case ParamType::HostPortKey:
    case ParamType::ScopedCcsKey: {
      auto hp = HostPort::parse(value, spec.name);
      if (!hp) return hp.error();
      keys.push_back(spec.type == ParamType::HostPortKey ? BindingKey::sni(*hp) : BindingKey::scoped_ccs(*hp));
      return Ok{};
    }
    case ParamType::CcsKey: {
      auto port = parse_port(value, "ccs", value);
      if (!port) return port.error();
      keys.push_back(BindingKey::ccs(*port));
      return Ok{};
    }
    case ParamType::Hash: {
      auto t = Thumbprint::parse(value);
      if (!t) return t.error();
      s.certhash = *t;
      return Ok{};
    }
    case ParamType::AppId: {
      auto g = Guid::parse(value);
      if (!g) return g.error();
      s.appid = *g;
      return Ok{};
    }
    case ParamType::StoreName: {
      if (auto st = validate_store_name(value, spec.name); !st) return st;
      (spec.name == "certstorename" ? s.certstorename : s.ctl_store_name) = std::string(value);
      return Ok{};
    }
    case ParamType::Text: {
      if (auto st = validate_text_value(value, spec.name); !st) return st;
      s.ctl_identifier = std::string(value);
      return Ok{};
    }
    case ParamType::Toggle: {
      auto on = parse_toggle(spec.name, value);
      if (!on) return on.error();
      set_toggle(spec, s, *on);
      return Ok{};
    }
    case ParamType::UInt: {
      auto n = parse_uint(spec.name, value);
      if (!n) return n.error();
      (spec.name == "revocationfreshnesstime" ? s.revocation_freshness_time : s.url_retrieval_timeout) = *n;
      return Ok{};
    }
    case ParamType::JsonSwitch: {
      if (cmd.verb != Verb::Show) {
        return invalid("json=" + std::string(value) + " is not supported by " + std::string(verb_name(cmd.verb)) +
                       " sslcert: netsh's JSON input file format is not documented; give the parameters instead");
      }
      auto on = parse_toggle("json", value);
      if (!on) return on.error();
      cmd.json = *on;
      return Ok{};
    }
  }
  return Ok{};
}

Error missing(std::string what) { return Error(ErrorCode::MissingParameters, std::move(what)); }

Status check_required(const SslCertCommand& cmd, const std::set<std::string_view>& given) {
  const std::string verb = std::string(verb_name(cmd.verb)) + " sslcert";
  if (!cmd.key) {
    if (cmd.verb == Verb::Show) return Ok{};
    return missing(verb + " needs the binding: ipport=<ipaddr:port>, hostnameport=<name:port>, ccs=<port> or "
                          "scopedccs=<name:port>");
  }
  if (cmd.verb != Verb::Add && cmd.verb != Verb::Update) return Ok{};
  const KeyKind kind = cmd.key->kind();
  const std::string key = std::string(key_parameter(kind)) + "=";
  if (!given.contains("appid")) return missing(verb + " needs appid=<GUID>");
  const bool ccs_family = kind == KeyKind::Ccs || kind == KeyKind::ScopedCcs;
  if (ccs_family) {
    for (std::string_view refused : {"certhash", "certstorename"}) {
      if (given.contains(refused)) {
        return invalid(std::string(refused) + "= is not used with " + key +
                       ": the Central Certificate Store provider finds the certificate by host name");
      }
    }
    return Ok{};
  }
  if (!given.contains("certhash")) return missing(verb + " with " + key + " needs certhash=<thumbprint>");
  if (kind == KeyKind::HostnamePort && !given.contains("certstorename")) {
    return missing(verb + " with hostnameport= needs certstorename=<store>, e.g. MY or WebHosting");
  }
  return Ok{};
}

}  // namespace

std::string_view noun_name(Noun noun) {
  switch (noun) {
    case Noun::SslCert: return "sslcert";
    case Noun::Cert: return "cert";
    case Noun::Ccs: return "ccs";
  }
  return "sslcert";
}

std::string_view tool_name(Tool tool) {
  switch (tool) {
    case Tool::Init: return "init";
    case Tool::Resolve: return "resolve";
    case Tool::Check: return "check";
    case Tool::Export: return "export";
    case Tool::Import: return "import";
  }
  return "init";
}

std::string_view verb_name(Verb verb) {
  switch (verb) {
    case Verb::Add: return "add";
    case Verb::Update: return "update";
    case Verb::Delete: return "delete";
    case Verb::Show: return "show";
  }
  return "show";
}

Result<SslCertCommand> parse_sslcert_arguments(Verb verb, std::span<const std::string> arguments) {
  SslCertCommand cmd;
  cmd.verb = verb;
  const std::string verb_text = std::string(verb_name(verb)) + " sslcert";
  std::set<std::string_view> given;
  std::vector<BindingKey> keys;
  std::vector<std::string_view> key_names;
  for (const std::string& word : arguments) {
    const std::size_t eq = word.find('=');
    if (eq == std::string::npos) {
      return invalid(text::quote(word) + " is not of the form key=value, e.g. ipport=0.0.0.0:443");
    }
    const std::string_view name = std::string_view(word).substr(0, eq);
    const std::string_view value = std::string_view(word).substr(eq + 1);
    const ParamSpec* spec = find_parameter(name);
    if (!spec) {
      return invalid(text::quote(name) + " is not a parameter of " + verb_text + "; see 'sslbind " + verb_text +
                     " help'");
    }
    if (!given.insert(spec->name).second) return invalid(std::string(spec->name) + "= is given twice");
    const bool settings_param = !is_key_parameter(*spec) && spec->type != ParamType::JsonSwitch;
    if (settings_param && verb != Verb::Add && verb != Verb::Update) {
      return invalid(std::string(spec->name) + "= is not used by " + verb_text + ", which takes only the binding key");
    }
    if (is_key_parameter(*spec)) key_names.push_back(spec->name);
    if (auto s = apply_argument(*spec, value, cmd, keys); !s) return s.error();
  }
  if (keys.size() > 1) {
    return invalid("give one binding key, not both " + std::string(key_names[0]) + "= and " +
                   std::string(key_names[1]) + "=");
  }
  if (!keys.empty()) cmd.key = keys.front();
  if (auto s = check_required(cmd, given); !s) return s.error();
  // netsh sets "freshness time enabled" exactly when a non-zero freshness time is given.
  if (cmd.settings.revocation_freshness_time != 0) cmd.settings.check_mode |= check_mode::kFreshnessTimeEnabled;
  return cmd;
}

std::optional<Verb> verb_of(std::span<const std::string> words) {
  if (!words.empty() && text::iequals(words.front(), "http")) words = words.subspan(1);
  if (words.empty()) return std::nullopt;
  auto verb = match_verb(words.front());
  if (!verb) return std::nullopt;
  return *verb;
}

Result<Invocation> parse_invocation(std::span<const std::string> words) {
  std::span<const std::string> rest = words;
  if (!rest.empty() && text::iequals(rest.front(), "http")) rest = rest.subspan(1);
  if (rest.empty() || is_help_word(rest.front())) return Invocation(HelpRequest{});
  for (Tool t : {Tool::Init, Tool::Resolve, Tool::Check, Tool::Export, Tool::Import}) {
    if (!text::iequals(tool_name(t), rest.front())) continue;
    rest = rest.subspan(1);
    for (const auto& w : rest) {
      if (is_help_word(w)) return Invocation(HelpRequest{std::nullopt, Noun::SslCert, t});
    }
    return Invocation(ToolWords{t, std::vector<std::string>(rest.begin(), rest.end())});
  }
  auto verb = match_verb(rest.front());
  if (!verb) return unknown_command(words, verb.error().detail);
  rest = rest.subspan(1);
  if (rest.empty() || is_help_word(rest.front())) return Invocation(HelpRequest{*verb, Noun::SslCert, std::nullopt});
  // Exact names first, then unique prefixes of at least three letters ("ssl" is sslcert).
  const std::string& word = rest.front();
  std::optional<Noun> noun;
  for (Noun n : {Noun::SslCert, Noun::Cert, Noun::Ccs}) {
    if (text::iequals(noun_name(n), word)) noun = n;
  }
  const std::string_view sslcert = noun_name(Noun::SslCert);
  if (!noun && word.size() >= 3 && word.size() < sslcert.size() &&
      text::iequals(sslcert.substr(0, word.size()), word)) {
    noun = Noun::SslCert;
  }
  if (!noun) {
    return unknown_command(words, text::quote(word) + " is not something sslbind manages; the objects are sslcert, cert and ccs");
  }
  rest = rest.subspan(1);
  for (const auto& w : rest) {
    if (is_help_word(w)) return Invocation(HelpRequest{*verb, *noun, std::nullopt});
  }
  if (*noun != Noun::SslCert) {
    return Invocation(ObjectWords{*verb, *noun, std::vector<std::string>(rest.begin(), rest.end())});
  }
  auto cmd = parse_sslcert_arguments(*verb, rest);
  if (!cmd) return cmd.error();
  return Invocation(std::move(*cmd));
}

}  // namespace sslbind
