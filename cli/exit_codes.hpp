#pragma once
// sslbind's exit codes (docs/exit-codes in README and docs/json.md).

namespace sslbind::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitOperationFailed = 1;  // the binding exists, does not exist, or the certificate is unusable
inline constexpr int kExitUsage = 2;            // bad command, parameter or value: nothing was read or written
inline constexpr int kExitRegistry = 3;         // the registry or a store cannot be read or written
inline constexpr int kExitInternal = 4;         // an unexpected exception: a bug in sslbind

}  // namespace sslbind::cli
