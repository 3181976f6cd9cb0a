#pragma once
// What a process the test started has used, read from /proc: for tests that bound a server's CPU after an attack
// or its memory after large bodies. And whether this build runs under AddressSanitizer, which holds freed memory
// in quarantine, so that memory bounds hold for the real builds only.
#include <sys/types.h>

namespace sslbind::test {

double cpu_seconds(pid_t pid);  // user + system
long peak_rss_kib(pid_t pid);   // VmHWM; -1 if it cannot be read

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

}  // namespace sslbind::test
