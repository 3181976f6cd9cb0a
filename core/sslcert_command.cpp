#include "core/sslcert_command.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "core/key_values.hpp"
#include "core/parameters.hpp"
#include "core/show_layout.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

Result<bool> parse_toggle(std::string_view name, std::string_view value) {
  if (text::iequals(value, "enable")) return true;
  if (text::iequals(value, "disable")) return false;
  return invalid(std::string(name) + " " + text::quote(value) + " is neither enable nor disable");
}

}  // namespace

Result<std::uint32_t> parse_u_int(std::string_view name, std::string_view value) {
  const auto v = text::parse_decimal(value, 0xFFFFFFFFu);
  if (!v) {
    const bool digits = !value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos;
    return invalid(std::string(name) + " " + text::quote(value) +
                   (digits ? " is above 4294967295" : " is not a decimal number") +
                   "; it takes an unsigned 32-bit number");
  }
  return static_cast<std::uint32_t>(*v);
}

namespace {

// A registry word: decimal as netsh's <u-int>, or 0x and up to eight hex digits as `show --json` and .reg files
// write them.
Result<std::uint32_t> parse_word(std::string_view name, std::string_view value) {
  if (!value.starts_with("0x") && !value.starts_with("0X")) return parse_u_int(name, value);
  const std::string_view digits = value.substr(2);
  if (digits.empty() || digits.size() > 8 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return text::is_hex_digit(c); })) {
    return invalid(std::string(name) + " " + text::quote(value) + " is not 0x and one to eight hex digits");
  }
  std::uint32_t word = 0;
  for (char c : digits) word = word << 4 | text::hex_value(c);
  return word;
}

// defaultflags= and defaultsslcertcheckmode= set their word whole, after the options; an option given beside one
// must say what the word says, so that nothing given is silently overridden.
Status apply_raw_words(const std::vector<std::pair<const ParamSpec*, std::string_view>>& values, SslSettings& s) {
  for (const auto& [raw, raw_value] : values) {
    if (raw->type != ParamType::RawWord) continue;
    auto word = parse_word(raw->name, raw_value);
    if (!word) return word.error();
    const ToggleField field = raw->name == "defaultflags" ? ToggleField::Flags : ToggleField::CheckMode;
    SslSettings with_word = s;
    (field == ToggleField::Flags ? with_word.flags : with_word.check_mode) = *word;
    for (const auto& [option, option_value] : values) {
      if (option->type != ParamType::Toggle || option->field != field) continue;
      if (toggle_enabled(*option, with_word) != toggle_enabled(*option, s)) {
        return invalid(std::string(option->name) + "=" + std::string(option_value) + " disagrees with " +
                       std::string(raw->name) + "=" + std::string(raw_value) + "; give one or make them agree");
      }
    }
    s = with_word;
  }
  return Ok{};
}

// Applies one key=value to the command. Keys go to `keys` so that two of them can be reported together.
Status apply_argument(const ParamSpec& spec, std::string_view value, SslCertCommand& cmd,
                      std::vector<BindingKey>& keys) {
  SslSettings& s = cmd.settings;
  switch (spec.type) {
    case ParamType::IpPortKey:
    case ParamType::HostPortKey:
    case ParamType::ScopedCcsKey:
    case ParamType::CcsKey: {
      auto key = parse_binding_key(spec, value);
      if (!key) return key.error();
      keys.push_back(std::move(*key));
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
      // "(null)", as show prints a binding without one: no store (HTTP.SYS then reads the certificate from MY).
      if (value == "(null)") {
        (spec.name == "certstorename" ? s.certstorename : s.ctl_store_name).reset();
        return Ok{};
      }
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
      auto n = parse_u_int(spec.name, value);
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
    case ParamType::RawWord: return Ok{};  // apply_raw_words, once the options are in
    case ParamType::Layout: {
      if (cmd.verb != Verb::Show) return invalid("layout= is used by show sslcert only");
      if (find_show_generation(value) == nullptr) {
        return invalid("layout " + text::quote(value) + " is not one sslbind prints: 2016, 2019 or 2022");
      }
      cmd.layout = std::string(value);
      return Ok{};
    }
  }
  return Ok{};
}

Error missing(std::string what) { return Error(ErrorCode::MissingParameters, std::move(what)); }

std::optional<KeyKind> kind_of_key_parameter(std::string_view name) {
  for (KeyKind kind : {KeyKind::IpPort, KeyKind::HostnamePort, KeyKind::Ccs, KeyKind::ScopedCcs}) {
    if (key_parameter(kind) == name) return kind;
  }
  return std::nullopt;
}

// netsh checks that the essential parameters are there before it reads any value: which ones are essential follows
// from the verb and the key's tag alone.
Status check_required(Verb verb, std::optional<KeyKind> kind, const std::set<std::string_view>& given) {
  const std::string verb_text = std::string(verb_name(verb)) + " sslcert";
  if (!kind) {
    if (verb == Verb::Show) return Ok{};
    return missing(verb_text +
                   " needs the binding: ipport=<ipaddr:port>, hostnameport=<name:port>, ccs=<port> or "
                   "scopedccs=<name:port>");
  }
  if (verb != Verb::Add && verb != Verb::Update) return Ok{};
  const std::string key = std::string(key_parameter(*kind)) + "=";
  if (!given.contains("appid")) return missing(verb_text + " needs appid=<GUID>");
  const bool ccs_family = *kind == KeyKind::Ccs || *kind == KeyKind::ScopedCcs;
  if (ccs_family) {
    for (std::string_view refused : {"certhash", "certstorename"}) {
      if (given.contains(refused)) {
        return invalid(std::string(refused) + "= is not used with " + key +
                       ": the Central Certificate Store provider finds the certificate by host name");
      }
    }
    return Ok{};
  }
  if (!given.contains("certhash")) return missing(verb_text + " with " + key + " needs certhash=<thumbprint>");
  if (*kind == KeyKind::HostnamePort && !given.contains("certstorename")) {
    return missing(verb_text + " with hostnameport= needs certstorename=<store>, e.g. MY or WebHosting");
  }
  return Ok{};
}

}  // namespace

Result<BindingKey> parse_binding_key(const ParamSpec& spec, std::string_view value) {
  switch (spec.type) {
    case ParamType::IpPortKey: {
      auto ip = IpPort::parse(value);
      if (!ip) return ip.error();
      return BindingKey::ip(*ip);
    }
    case ParamType::HostPortKey:
    case ParamType::ScopedCcsKey: {
      auto hp = HostPort::parse(value, spec.name);
      if (!hp) return hp.error();
      return spec.type == ParamType::HostPortKey ? BindingKey::sni(*hp) : BindingKey::scoped_ccs(*hp);
    }
    case ParamType::CcsKey: {
      auto port = parse_port(value, "ccs", value);
      if (!port) return port.error();
      return BindingKey::ccs(*port);
    }
    default: return invalid(std::string(spec.name) + "= is not a binding key");
  }
}

Result<SslCertCommand> parse_sslcert_arguments(Verb verb, std::span<const std::string> arguments) {
  SslCertCommand cmd;
  cmd.verb = verb;
  const std::string verb_text = std::string(verb_name(verb)) + " sslcert";
  // First the tags (known, once each, used by this verb, one key, the essential ones there), then the values.
  std::set<std::string_view> given;
  std::vector<std::string_view> key_names;
  std::vector<std::pair<const ParamSpec*, std::string_view>> values;
  for (std::size_t position = 0; position < arguments.size(); ++position) {
    const std::string& word = arguments[position];
    const ParamSpec* spec = nullptr;
    std::string_view value;
    if (word.find('=') == std::string::npos) {
      // A value without its tag takes the tag of its position, as netsh allows ("delete sslcert 0.0.0.0:443").
      if (auto s = check_utf8(word, text::quote(word)); !s) return s.error();
      spec = sslcert_positional_tag(verb, position);
      if (!spec) {
        return invalid(text::quote(word) + " has no tag, and " + verb_text +
                       " takes no value without one at position " + std::to_string(position + 1) +
                       "; write it as tag=value, e.g. ipport=0.0.0.0:443");
      }
      value = word;
    } else {
      auto split = split_argument(word, "ipport=0.0.0.0:443");
      if (!split) return split.error();
      auto matched = match_sslcert_tag(verb, split->name, verb_text);
      if (!matched) return matched.error();
      spec = *matched;
      value = split->value;
    }
    if (!given.insert(spec->name).second) return invalid(std::string(spec->name) + "= is given twice");
    const bool settings_param =
        !is_key_parameter(*spec) && spec->type != ParamType::JsonSwitch && spec->type != ParamType::Layout;
    if (settings_param && verb != Verb::Add && verb != Verb::Update) {
      return invalid(std::string(spec->name) + "= is not used by " + verb_text + ", which takes only the binding key");
    }
    if (is_key_parameter(*spec)) key_names.push_back(spec->name);
    values.emplace_back(spec, value);
  }
  if (key_names.size() > 1) {
    return invalid("give one binding key, not both " + std::string(key_names[0]) + "= and " +
                   std::string(key_names[1]) + "=");
  }
  const auto kind = key_names.empty() ? std::nullopt : kind_of_key_parameter(key_names.front());
  if (auto s = check_required(verb, kind, given); !s) return s.error();
  std::vector<BindingKey> keys;
  for (const auto& [spec, value] : values) {
    if (auto s = apply_argument(*spec, value, cmd, keys); !s) return s.error();
  }
  if (!keys.empty()) cmd.key = keys.front();
  // netsh sets "freshness time enabled" exactly when a non-zero freshness time is given.
  if (cmd.settings.revocation_freshness_time != 0) cmd.settings.check_mode |= check_mode::kFreshnessTimeEnabled;
  if (auto s = apply_raw_words(values, cmd.settings); !s) return s.error();
  return cmd;
}

}  // namespace sslbind
