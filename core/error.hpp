#pragma once
// Typed errors returned by core and store. The cli layer maps each code to netsh's text and an exit code.
#include <string>
#include <utility>

namespace sslbind {

enum class ErrorCode {
  InvalidParameter,      // Win32 87: a value breaks a rule ("The parameter is incorrect.")
  MissingParameters,     // netsh: "One or more essential parameters were not entered."
  UnknownCommand,        // netsh: "The following command was not found: ..."
  AlreadyExists,         // Win32 183: add on a key that is taken
  NotFound,              // Win32 2: update/delete/show of a key that is not there
  CertificateNotUsable,  // Win32 1312: certhash not in the store, or without private key
  RegistryUnreadable,    // registry file corrupt, of an unknown version, or not readable
  RegistryWriteFailed,   // could not lock, write or rename the registry file
  RegistryUnavailable,   // a shared registry (etcd) did not answer in time: transient, nothing was changed
  SourceUnavailable,     // a certificate source (the CCS folder, a file) is not configured or cannot be read
};

struct Error {
  ErrorCode code;
  std::string detail;  // one line naming the value and the rule it breaks

  Error(ErrorCode c, std::string d) : code(c), detail(std::move(d)) {}
};

inline Error invalid(std::string detail) { return Error(ErrorCode::InvalidParameter, std::move(detail)); }

}  // namespace sslbind
