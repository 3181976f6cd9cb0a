#include "serve/session.hpp"

namespace sslbind::serve {

std::optional<SessionKind> choose_session(std::string_view alpn, bool has_backends, bool has_farms) {
  // backend= forwards the bytes as they come, whatever the protocol (HTTP.SYS's binding knows no more).
  if (has_backends) return SessionKind::Forward;
  if (alpn == "h2") return has_farms ? std::optional(SessionKind::Http2) : std::nullopt;
  if (!alpn.empty() && alpn != "http/1.1") return std::nullopt;
  if (has_farms) return SessionKind::Http1;
  return SessionKind::Page;
}

}  // namespace sslbind::serve
