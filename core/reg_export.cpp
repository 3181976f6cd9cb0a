#include "core/reg_export.hpp"

#include <cstdio>
#include <vector>

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

// A binding's key in UTF-16 is 900-1,000 bytes.
constexpr std::size_t kBytesPerKey = 1000;

// Appends `utf8` as UTF-16LE with CRLF line ends, as regedit reads version 5 files.
void append_utf16(std::string_view utf8, std::string& out) {
  auto put = [&out](std::uint32_t unit) {
    out += static_cast<char>(unit & 0xFF);
    out += static_cast<char>(unit >> 8);
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const auto cp = text::decode_utf8(utf8, i);
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
}

}  // namespace

std::string reg_file(const RegistryState& state) {
  // Written a key at a time into the UTF-16 result, so that 100k bindings are not also held as UTF-8 text.
  std::string bytes = "\xFF\xFE";                              // UTF-16LE byte order mark
  bytes.reserve(state.bindings.size() * kBytesPerKey + 4096);  // one allocation: growth by doubling would copy
  std::string block = "Windows Registry Editor Version 5.00\n";
  if (!state.ip_listen.empty()) {
    // REG_MULTI_SZ: each address in UTF-16LE with its NUL, then one more NUL.
    std::vector<std::uint8_t> data;
    for (const IpAddress& a : state.ip_listen) {
      for (char c : a.str() + std::string(1, '\0')) data.insert(data.end(), {static_cast<std::uint8_t>(c), 0});
    }
    data.insert(data.end(), {0, 0});
    block += "\n[" + std::string(kParameters) +
             "]\n\"ListenOnlyList\"=hex(7):" + hex(data.data(), data.size()).substr(4) + "\n";
  }
  // BindingSet keeps IP, hostname, CCS and scoped CCS keys in that order, as regedit would list them.
  for (const auto& [key, b] : state.bindings) {
    const KeyKind kind = key.kind();
    const SslSettings& s = b.settings;
    append_utf16(block, bytes);
    block.clear();
    block += "\n[" + std::string(kParameters) + "\\" + std::string(binding_info_key(kind)) + "\\" +
             binding_subkey_name(key) + "]\n";
    if (s.certhash) block += "\"SslCertHash\"=" + hex(s.certhash->bytes().data(), Thumbprint::kBytes) + "\n";
    const auto appid = s.appid.windows_bytes();
    block += "\"AppId\"=" + hex(appid.data(), appid.size()) + "\n";
    if (s.certstorename) block += "\"SslCertStoreName\"=" + quoted(*s.certstorename) + "\n";
    if (kind == KeyKind::HostnamePort || kind == KeyKind::ScopedCcs) {
      block += "\"HostnamePort\"=" + quoted(key.value()) + "\n";
    }
    block += "\"DefaultSslCertCheckMode\"=" + dword(s.check_mode) + "\n";
    block += "\"DefaultSslRevocationFreshnessTime\"=" + dword(s.revocation_freshness_time) + "\n";
    block += "\"DefaultSslRevocationUrlRetrievalTimeout\"=" + dword(s.url_retrieval_timeout) + "\n";
    if (s.ctl_identifier) block += "\"DefaultSslCtlIdentifier\"=" + quoted(*s.ctl_identifier) + "\n";
    if (s.ctl_store_name) block += "\"DefaultSslCtlStoreName\"=" + quoted(*s.ctl_store_name) + "\n";
    block += "\"DefaultFlags\"=" + dword(s.flags) + "\n";
    const ExtendedProperties& x = b.extended;
    if (!x.http2_window_is_default()) {
      block += "\"" + std::string(extended_value::kReceiveWindow) + "\"=" + dword(x.receive_window) + "\n";
    }
    if (!x.settings_limits_are_default()) {
      block += "\"" + std::string(extended_value::kMaxSettingsPerFrame) + "\"=" + dword(x.max_settings_per_frame) +
               "\n\"" + std::string(extended_value::kMaxSettingsPerMinute) + "\"=" + dword(x.max_settings_per_minute) +
               "\n";
    }
  }
  if (const auto& p = state.ccs_provider) {
    block += "\n[" + std::string(kProvider) + "]\n";
    block += "\"Enabled\"=" + dword(p->enabled ? 1 : 0) + "\n";
    block += "\"CertStoreLocation\"=" + quoted(p->location) + "\n";
    if (p->user_name) block += "\"UserName\"=" + quoted(*p->user_name) + "\n";
    block += "\"PollingInterval\"=" + dword(p->polling_interval) + "\n";
    if (p->sealed_private_key_password) {
      // Windows seals it with its own machine key; set it there with Enable-IISCentralCertProvider.
      block += "; PrivateKeyPassword is not exported: it is sealed with this machine's key\n";
    }
  }
  append_utf16(block, bytes);
  return bytes;
}

}  // namespace sslbind
