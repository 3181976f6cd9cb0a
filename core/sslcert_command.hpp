#pragma once
// The `sslcert` object: add|update|delete|show sslcert with netsh's parameters, read into a binding key and settings.
#include <optional>
#include <span>
#include <string>

#include "core/binding.hpp"
#include "core/result.hpp"
#include "core/verb.hpp"

namespace sslbind {

struct SslCertCommand {
  Verb verb = Verb::Show;
  std::optional<BindingKey> key;  // show without a key lists every binding
  SslSettings settings;           // add and update only
  bool json = false;              // show's json=enable
};

// Reads the key=value words of an sslcert command, for a known verb.
Result<SslCertCommand> parse_sslcert_arguments(Verb verb, std::span<const std::string> arguments);

}  // namespace sslbind
