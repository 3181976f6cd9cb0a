#pragma once
// The table of `sslcert` parameters. The parser, the usage text, the JSON output and the shell completions all
// read this one table, so a parameter is added in exactly one place.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/binding.hpp"
#include "core/result.hpp"
#include "core/verb.hpp"

namespace sslbind {

enum class ParamType {
  IpPortKey,     // ipport=<ipaddr:port>
  HostPortKey,   // hostnameport=<name:port>
  CcsKey,        // ccs=<port>
  ScopedCcsKey,  // scopedccs=<name:port>
  Hash,          // certhash
  AppId,         // appid
  StoreName,     // certstorename, sslctlstorename
  Text,          // sslctlidentifier
  Toggle,        // enable|disable, one bit of check_mode or flags
  UInt,          // u-int
  JsonSwitch,    // show's json=enable|disable
  RawWord,       // defaultflags, defaultsslcertcheckmode: a registry word whole, for bits no option names
  Layout,        // show's layout=2016|2019|2022: the Windows generation whose text to print
};

enum class ToggleField { CheckMode, Flags };

struct ParamSpec {
  std::string_view name;
  ParamType type;
  std::string_view placeholder;  // as in netsh's usage text: "<GUID>", "enable|disable"
  std::string_view description;
  // Toggles only: the bit the option controls, and whether "enable" sets it (false where the bit means "off",
  // as for verifyclientcertrevocation and usagecheck).
  ToggleField field = ToggleField::Flags;
  std::uint32_t bit = 0;
  bool enable_sets_bit = true;
};

// Every sslcert parameter in the order netsh's usage lists them: the four key forms first.
std::span<const ParamSpec> sslcert_parameters();
// Case-insensitive, as netsh matches tags.
const ParamSpec* find_parameter(std::string_view name);

// netsh's token matching: a tag may be shortened to a prefix that only one of the verb's tags starts with ("ipp"
// for ipport, "certh" for certhash); an exact name always wins. A prefix of several is refused with the
// candidates; one of none with unknown_parameter's text. `command` names the command in messages.
Result<const ParamSpec*> match_sslcert_tag(Verb verb, std::string_view tag, std::string_view command);
// netsh's rule that tags may be left out when values come in order: the tag of the value at `position` (from 0)
// in the order of netsh's old-style usage ("add sslcert [ipport=]IP:port [certhash=]hash [appid=]GUID ..."), or
// nullptr past its end. delete and show take the key alone: ipport.
const ParamSpec* sslcert_positional_tag(Verb verb, std::size_t position);

bool is_key_parameter(const ParamSpec& spec);
// Which verbs take a parameter: every verb the keys, show the json switch, add and update the settings.
bool sslcert_verb_takes(Verb verb, const ParamSpec& spec);
bool toggle_enabled(const ParamSpec& toggle, const SslSettings& settings);
void set_toggle(const ParamSpec& toggle, SslSettings& settings, bool enable);

// The fixed values a parameter takes ("enable", "disable"), for completions; empty when the value is free.
std::vector<std::string> parameter_choices(std::string_view parameter);
// Parameters whose value is a path, for file-name completion.
std::vector<std::string> path_parameters();

}  // namespace sslbind
