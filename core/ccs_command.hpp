#pragma once
// The `ccs` object, the file-based Central Certificate Store provider:
//   add ccs location=DIR [privatekeypassword=|passwordfile=] [username=] [pollinginterval=]
//   update ccs (the same, each optional), delete ccs, show ccs.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/result.hpp"
#include "core/verb.hpp"

namespace sslbind {

struct CcsCommand {
  Verb verb = Verb::Show;
  std::optional<std::string> location;
  std::optional<std::string> private_key_password;
  std::optional<std::string> password_file;  // holds the private key password
  std::optional<std::string> user_name;
  std::optional<std::uint32_t> polling_interval;
};

Result<CcsCommand> parse_ccs_arguments(Verb verb, std::span<const std::string> arguments);
std::span<const std::string_view> ccs_parameters(Verb verb);

}  // namespace sslbind
