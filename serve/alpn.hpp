#pragma once
// ALPN (RFC 7301) for the listener: the protocols a binding's clients are offered, and the choice between them and
// a ClientHello's list. The server's order wins, as nginx, HAProxy and HTTP.SYS choose.
#include <optional>
#include <string_view>
#include <vector>

#include "core/binding.hpp"

namespace sslbind::serve {

inline constexpr std::string_view kAlpnHttp11 = "http/1.1";
inline constexpr std::string_view kAlpnHttp2 = "h2";

// In order of preference: h2 first where this front end has an HTTP/2 session (`http2_session`) and the binding
// does not set disablehttp2, then http/1.1.
std::vector<std::string_view> protocols_for(const Binding& binding, bool http2_session);

// The first of `ours` that the client's list names. `client` is the extension's ProtocolNameList without its
// two-byte length: one-byte lengths, each followed by that many bytes. nullopt when there is no match, or when the
// list is malformed (an empty name, a length past the end).
std::optional<std::string_view> choose_protocol(std::string_view client, const std::vector<std::string_view>& ours);

}  // namespace sslbind::serve
