#include "serve/alpn.hpp"

namespace sslbind::serve {

std::vector<std::string_view> protocols_for(const Binding& binding, bool http2_session) {
  std::vector<std::string_view> ours;
  if (http2_session && (binding.settings.flags & ssl_flag::kDisableHttp2) == 0) ours.push_back(kAlpnHttp2);
  ours.push_back(kAlpnHttp11);
  return ours;
}

std::optional<std::string_view> choose_protocol(std::string_view client, const std::vector<std::string_view>& ours) {
  std::vector<std::string_view> offered;
  for (std::size_t at = 0; at < client.size();) {
    const std::size_t n = static_cast<unsigned char>(client[at]);
    if (n == 0 || at + 1 + n > client.size()) return std::nullopt;
    offered.push_back(client.substr(at + 1, n));
    at += 1 + n;
  }
  for (std::string_view protocol : ours) {
    for (std::string_view o : offered) {
      if (o == protocol) return protocol;
    }
  }
  return std::nullopt;
}

}  // namespace sslbind::serve
