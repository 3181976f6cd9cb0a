#include "cli/messages.hpp"

#include "cli/exit_codes.hpp"
#include "core/text.hpp"

namespace sslbind::cli {
namespace {

std::string failure_prefix(std::string_view object, std::optional<Verb> verb) {
  // netsh says "deletion failed" but "add failed" and "update failed".
  const std::string noun = !verb ? "operation" : *verb == Verb::Delete ? "deletion" : std::string(verb_name(*verb));
  return std::string(object) + " " + noun + " failed, Error: ";
}

}  // namespace

ErrorReport describe_error(const Error& error, std::optional<Verb> verb, std::span<const std::string> words,
                           std::string_view object) {
  ErrorReport r;
  r.detail = error.detail;
  switch (error.code) {
    case ErrorCode::InvalidParameter:
      r.kind = "invalid-parameter";
      r.win32 = 87;
      r.netsh = {"The parameter is incorrect."};
      r.exit_code = kExitUsage;
      break;
    case ErrorCode::MissingParameters:
      r.kind = "missing-parameters";
      r.netsh = {"One or more essential parameters were not entered.",
                 "Verify the required parameters, and reenter them.",
                 "The syntax supplied for this command is not valid. Check help for the correct syntax."};
      r.exit_code = kExitUsage;
      break;
    case ErrorCode::UnknownCommand: {
      r.kind = "unknown-command";
      // core puts the words as typed on the first line and the reason on the second.
      const auto nl = error.detail.find('\n');
      r.detail = nl == std::string::npos ? error.detail : error.detail.substr(nl + 1);
      r.netsh = {"The following command was not found: " + text::join(words)};
      r.exit_code = kExitUsage;
      break;
    }
    case ErrorCode::AlreadyExists:
      r.kind = "already-exists";
      r.win32 = 183;
      r.netsh = {failure_prefix(object, verb) + "183", "Cannot create a file when that file already exists."};
      r.exit_code = kExitOperationFailed;
      break;
    case ErrorCode::NotFound:
      r.kind = "not-found";
      r.win32 = 2;
      if (verb == Verb::Show)
        r.netsh = {"The system cannot find the file specified."};
      else
        r.netsh = {failure_prefix(object, verb) + "2", "The system cannot find the file specified."};
      r.exit_code = kExitOperationFailed;
      break;
    case ErrorCode::CertificateNotUsable:
      r.kind = "certificate-not-usable";
      r.win32 = 1312;
      r.netsh = {failure_prefix(object, verb) + "1312",
                 "A specified logon session does not exist. It may already have been terminated."};
      r.exit_code = kExitOperationFailed;
      break;
    case ErrorCode::RegistryUnreadable:
      r.kind = "registry-unreadable";
      r.exit_code = kExitRegistry;
      break;
    case ErrorCode::RegistryWriteFailed:
      r.kind = "registry-write-failed";
      r.exit_code = kExitRegistry;
      break;
    case ErrorCode::RegistryUnavailable:
      r.kind = "registry-unavailable";
      r.exit_code = kExitRegistry;
      break;
    case ErrorCode::SourceUnavailable:
      r.kind = "source-unavailable";
      r.exit_code = kExitOperationFailed;
      break;
  }
  return r;
}

std::string success_message(Verb verb) {
  switch (verb) {
    case Verb::Add: return "SSL Certificate successfully added";
    case Verb::Update: return "SSL Certificate successfully updated";
    case Verb::Delete: return "SSL Certificate successfully deleted";
    case Verb::Show: return "";
  }
  return "";
}

}  // namespace sslbind::cli
