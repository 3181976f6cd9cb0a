#include "core/reg_export.hpp"

#include <cstdio>

#include "core/registry_names.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::string_view kParameters = "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters";
constexpr std::string_view kProvider = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\IIS\\CentralCertProvider";

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string hex(const std::uint8_t* data, std::size_t n) {
  std::string out = "hex:";
  const std::string digits = text::to_hex(data, n);
  for (std::size_t i = 0; i < n; ++i) out += (i == 0 ? "" : ",") + digits.substr(2 * i, 2);
  return out;
}

std::string dword(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "dword:%08x", v);
  return buf;
}

}  // namespace

std::string reg_export_text(const RegistryState& state) {
  std::string out = "Windows Registry Editor Version 5.00\n";
  for (KeyKind kind : {KeyKind::IpPort, KeyKind::HostnamePort, KeyKind::Ccs, KeyKind::ScopedCcs}) {
    for (const auto& [key, b] : state.bindings) {
      if (key.kind() != kind) continue;
      const SslSettings& s = b.settings;
      out += "\n[" + std::string(kParameters) + "\\" + std::string(binding_info_key(kind)) + "\\" + binding_subkey_name(key) + "]\n";
      if (s.certhash) out += "\"SslCertHash\"=" + hex(s.certhash->bytes().data(), Thumbprint::kBytes) + "\n";
      const auto appid = s.appid.windows_bytes();
      out += "\"AppId\"=" + hex(appid.data(), appid.size()) + "\n";
      if (s.certstorename) out += "\"SslCertStoreName\"=" + quoted(*s.certstorename) + "\n";
      if (kind == KeyKind::HostnamePort || kind == KeyKind::ScopedCcs) out += "\"HostnamePort\"=" + quoted(key.value()) + "\n";
      out += "\"DefaultSslCertCheckMode\"=" + dword(s.check_mode) + "\n";
      out += "\"DefaultSslRevocationFreshnessTime\"=" + dword(s.revocation_freshness_time) + "\n";
      out += "\"DefaultSslRevocationUrlRetrievalTimeout\"=" + dword(s.url_retrieval_timeout) + "\n";
      if (s.ctl_identifier) out += "\"DefaultSslCtlIdentifier\"=" + quoted(*s.ctl_identifier) + "\n";
      if (s.ctl_store_name) out += "\"DefaultSslCtlStoreName\"=" + quoted(*s.ctl_store_name) + "\n";
      out += "\"DefaultFlags\"=" + dword(s.flags) + "\n";
    }
  }
  if (const auto& p = state.ccs_provider) {
    out += "\n[" + std::string(kProvider) + "]\n";
    out += "\"Enabled\"=" + dword(p->enabled ? 1 : 0) + "\n";
    out += "\"CertStoreLocation\"=" + quoted(p->location) + "\n";
    if (p->user_name) out += "\"UserName\"=" + quoted(*p->user_name) + "\n";
    out += "\"PollingInterval\"=" + dword(p->polling_interval) + "\n";
    if (p->sealed_private_key_password) {
      // Windows seals it with its own machine key; set it there with Enable-IISCentralCertProvider.
      out += "; PrivateKeyPassword is not exported: it is sealed with this machine's key\n";
    }
  }
  return out;
}

std::string to_reg_file_bytes(const std::string& utf8_text) {
  std::string out = "\xFF\xFE";  // UTF-16LE byte order mark
  auto put = [&out](std::uint32_t unit) {
    out += static_cast<char>(unit & 0xFF);
    out += static_cast<char>(unit >> 8);
  };
  for (std::size_t i = 0; i < utf8_text.size();) {
    const auto cp = text::decode_utf8(utf8_text, i);
    const std::uint32_t c = cp ? cp->value : 0xFFFD;
    i += cp ? cp->length : 1;
    if (c == '\n') {
      put('\r');
      put('\n');
    } else if (c >= 0x10000) {
      put(0xD800 + ((c - 0x10000) >> 10));
      put(0xDC00 + ((c - 0x10000) & 0x3FF));
    } else {
      put(c);
    }
  }
  return out;
}

}  // namespace sslbind
