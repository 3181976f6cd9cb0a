#include "core/dump_script.hpp"

#include "core/parameters.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

// The bits a netsh parameter sets; DefaultFlags and DefaultSslCertCheckMode may hold others (read from Windows).
std::uint32_t settable_bits(ToggleField field) {
  std::uint32_t bits = 0;
  for (const ParamSpec& p : sslcert_parameters()) {
    if (p.type == ParamType::Toggle && p.field == field) bits |= p.bit;
  }
  return bits;
}

// A value as one word of a command line, as split_command_line reads it back: quoted when it holds a blank or a
// double quote, a quote written \" and the backslashes before one doubled (Windows' command-line rule).
std::string word(std::string_view name, const std::string& value) {
  std::string out = std::string(name) + "=";
  if (!value.empty() && value.find_first_of(" \t\"") == std::string::npos) return out + value;
  out += '"';
  std::size_t backslashes = 0;
  for (char c : value) {
    if (c == '\\') {
      ++backslashes;
    } else {
      if (c == '"') out.append(backslashes + 1, '\\');
      backslashes = 0;
    }
    out += c;
  }
  out.append(backslashes, '\\');  // before the closing quote
  return out + '"';
}

std::string raw_word(std::string_view name, std::uint32_t value) {
  return " " + std::string(name) + "=" + text::hex_literal(value, 8);
}

bool flags_need_word(const SslSettings& s) { return s.flags != (s.flags & settable_bits(ToggleField::Flags)); }

// add sets the freshness bit exactly when the freshness time is not 0; a binding read from Windows may differ.
bool check_mode_needs_word(const SslSettings& s) {
  const std::uint32_t freshness = s.revocation_freshness_time != 0 ? check_mode::kFreshnessTimeEnabled : 0;
  return s.check_mode != ((s.check_mode & settable_bits(ToggleField::CheckMode)) | freshness);
}

bool storeless_sni(const Binding& b) { return !b.settings.certstorename && b.key.kind() == KeyKind::HostnamePort; }

// The words an add reads back from the options alone; what it would not recreate is written whole with sslbind's
// defaultflags= and defaultsslcertcheckmode=.
std::string add_command(const Binding& b) {
  const SslSettings& s = b.settings;
  std::string line = "add sslcert " + b.key.as_parameter() + " " + word("appid", s.appid.str());
  if (s.certhash) line += " " + word("certhash", s.certhash->hex());
  if (s.certstorename) line += " " + word("certstorename", *s.certstorename);
  if (storeless_sni(b)) line += " certstorename=(null)";
  for (const ParamSpec& p : sslcert_parameters()) {
    if (p.type == ParamType::Toggle) line += " " + word(p.name, toggle_enabled(p, s) ? "enable" : "disable");
  }
  line += " " + word("revocationfreshnesstime", std::to_string(s.revocation_freshness_time));
  line += " " + word("urlretrievaltimeout", std::to_string(s.url_retrieval_timeout));
  if (s.ctl_identifier) line += " " + word("sslctlidentifier", *s.ctl_identifier);
  if (s.ctl_store_name) line += " " + word("sslctlstorename", *s.ctl_store_name);
  if (flags_need_word(s)) line += raw_word("defaultflags", s.flags);
  if (check_mode_needs_word(s)) line += raw_word("defaultsslcertcheckmode", s.check_mode);
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

// What netsh on Windows would not take of an add command that sslbind's -f restores exactly.
std::string notes_for_netsh(const Binding& b) {
  std::string out;
  const std::string key = b.key.as_parameter();
  if (storeless_sni(b)) {
    out += "# " + key + ": no store, as Windows lists bindings the IIS API made; for netsh write certstorename=MY\n";
  }
  if (flags_need_word(b.settings)) {
    out += "# " + key + ": defaultflags= keeps bits no netsh parameter sets (Enable Caching Client Hello is " +
           text::hex_literal(ssl_flag::kEnableCacheClientHello, 8) + "); for netsh leave it out\n";
  }
  if (check_mode_needs_word(b.settings)) {
    out += "# " + key + ": defaultsslcertcheckmode= keeps bits no netsh parameter sets; for netsh leave it out\n";
  }
  return out;
}

}  // namespace

std::string dump_script(const RegistryState& state) {
  std::string out =
      "\n"
      "#========================\n"
      "# HTTP configuration\n"
      "#========================\n"
      "pushd http\n"
      "\n";
  for (const IpAddress& address : state.ip_listen) out += "add iplisten ipaddress=" + address.str() + "\n";
  if (!state.ip_listen.empty()) out += "\n";
  for (const auto& [key, binding] : state.bindings) {
    out += notes_for_netsh(binding) + add_command(binding) + property_commands(binding) + "\n";
  }
  out +=
      "popd\n"
      "# End of HTTP configuration\n"
      "\n";
  return out;
}

}  // namespace sslbind
