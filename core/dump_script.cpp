#include "core/dump_script.hpp"

#include "core/parameters.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

// The bits a netsh parameter sets; DefaultFlags and DefaultSslCertCheckMode may hold others (read from Windows),
// which no add command can recreate.
std::uint32_t settable_bits(ToggleField field) {
  std::uint32_t bits = field == ToggleField::CheckMode ? check_mode::kFreshnessTimeEnabled : 0;
  for (const ParamSpec& p : sslcert_parameters()) {
    if (p.type == ParamType::Toggle && p.field == field) bits |= p.bit;
  }
  return bits;
}

// A value as one word of a command line: quoted when it holds a blank (a double quote cannot be written at all).
std::string word(std::string_view name, const std::string& value) {
  const bool blank = value.empty() || value.find_first_of(" \t") != std::string::npos;
  return std::string(name) + "=" + (blank ? "\"" + value + "\"" : value);
}

std::string add_command(const Binding& b) {
  const SslSettings& s = b.settings;
  std::string line = "add sslcert " + b.key.as_parameter() + " " + word("appid", s.appid.str());
  if (s.certhash) line += " " + word("certhash", s.certhash->hex());
  if (s.certstorename) line += " " + word("certstorename", *s.certstorename);
  for (const ParamSpec& p : sslcert_parameters()) {
    if (p.type == ParamType::Toggle) line += " " + word(p.name, toggle_enabled(p, s) ? "enable" : "disable");
  }
  line += " " + word("revocationfreshnesstime", std::to_string(s.revocation_freshness_time));
  line += " " + word("urlretrievaltimeout", std::to_string(s.url_retrieval_timeout));
  if (s.ctl_identifier) line += " " + word("sslctlidentifier", *s.ctl_identifier);
  if (s.ctl_store_name) line += " " + word("sslctlstorename", *s.ctl_store_name);
  return line + "\n";
}

// Extended properties other than the defaults, as netsh 2019 and later set them.
std::string property_commands(const Binding& b) {
  std::string out;
  for (const PropertyChange& change : changes_from_defaults(b.extended)) {
    out += "update sslpropertyex " + b.key.as_parameter() + " " + change_parameters(change) + "\n";
  }
  return out;
}

// Why a binding cannot be written as a command, or what of it a command cannot recreate; empty when all is well.
std::string caveats(const Binding& b) {
  const SslSettings& s = b.settings;
  std::string out;
  for (const auto& [name, value] :
       {std::pair{"sslctlidentifier", s.ctl_identifier}, std::pair{"sslctlstorename", s.ctl_store_name},
        std::pair{"certstorename", s.certstorename}}) {
    if (value && value->find('"') != std::string::npos) {
      out += "# " + b.key.as_parameter() + ": " + name + " holds a double quote, which no command line can carry\n";
    }
  }
  const std::uint32_t flags = s.flags & ~settable_bits(ToggleField::Flags);
  const std::uint32_t modes = s.check_mode & ~settable_bits(ToggleField::CheckMode);
  if (flags != 0) {
    out += "# " + b.key.as_parameter() + ": DefaultFlags also has " + text::hex_literal(flags, 8) +
           " (no netsh parameter sets it: Enable Caching Client Hello is 0x00008000)\n";
  }
  if (modes != 0) {
    out += "# " + b.key.as_parameter() + ": DefaultSslCertCheckMode also has " + text::hex_literal(modes, 8) +
           " (no netsh parameter sets it)\n";
  }
  return out;
}

}  // namespace

std::string dump_script(const BindingSet& bindings) {
  std::string out =
      "\n"
      "#========================\n"
      "# HTTP configuration\n"
      "#========================\n"
      "pushd http\n"
      "\n";
  for (const auto& [key, binding] : bindings) {
    const std::string why = caveats(binding);
    if (why.find("double quote") != std::string::npos) {
      out += why;  // written as a comment only: the command would read back as another value
      continue;
    }
    out += why + add_command(binding) + property_commands(binding) + "\n";
  }
  out +=
      "popd\n"
      "# End of HTTP configuration\n"
      "\n";
  return out;
}

}  // namespace sslbind
