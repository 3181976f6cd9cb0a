#pragma once
// The `sslcert` object: add|update|delete|show sslcert with netsh's parameters, read into a binding key and settings.
#include <optional>
#include <span>
#include <string>

#include "core/binding.hpp"
#include "core/extended_properties.hpp"
#include "core/parameters.hpp"
#include "core/result.hpp"
#include "core/verb.hpp"

namespace sslbind {

struct SslCertCommand {
  Verb verb = Verb::Show;
  std::optional<BindingKey> key;  // show without a key lists every binding
  SslSettings settings;           // add and update only
  bool json = false;              // show's json=enable
  std::string layout = "2022";    // show's layout=: a name of show_generations()
  // update sslpropertyex: the one extended property it sets; the settings are then not used.
  std::optional<PropertyChange> property;
};

// Reads the key=value words of an sslcert command, for a known verb.
Result<SslCertCommand> parse_sslcert_arguments(Verb verb, std::span<const std::string> arguments);

// Reads `update sslpropertyex` (netsh 2019 and later): a binding key, propertyid=0 receivewindow=<bytes>, or
// propertyid=1 with maxsettingsperframe=<u-int> and/or maxsettingsperminute=<u-int>. Other ids are refused by name.
Result<SslCertCommand> parse_sslpropertyex_arguments(std::span<const std::string> arguments);
// The parameters of update sslpropertyex, for usage and completions.
std::span<const std::string_view> sslpropertyex_parameters();

// The value of a key parameter (ipport=, hostnameport=, ccs=, scopedccs=) as a binding key.
Result<BindingKey> parse_binding_key(const ParamSpec& spec, std::string_view value);
// A netsh <u-int>: decimal, 0 to 4294967295; the error names the parameter.
Result<std::uint32_t> parse_u_int(std::string_view name, std::string_view value);

}  // namespace sslbind
