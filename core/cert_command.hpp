#pragma once
// The `cert` object: add cert file= [keyfile=] [password=|passwordfile=] [certstorename=MY],
// show cert [certstorename=], delete cert certhash= [certstorename=MY].
#include <optional>
#include <span>
#include <string>

#include "core/result.hpp"
#include "core/thumbprint.hpp"
#include "core/verb.hpp"

namespace sslbind {

struct CertCommand {
  Verb verb = Verb::Show;
  std::string file;                     // add
  std::optional<std::string> key_file;  // add, PEM only
  std::optional<std::string> password;  // add
  std::optional<std::string> password_file;
  std::optional<std::string> store;    // absent: MY for add/delete, every store for show
  std::optional<Thumbprint> certhash;  // delete
};

Result<CertCommand> parse_cert_arguments(Verb verb, std::span<const std::string> arguments);
// The parameters each verb takes (update takes none: there is no update cert).
std::span<const std::string_view> cert_parameters(Verb verb);

}  // namespace sslbind
