#include "core/binding.hpp"

#include "core/text.hpp"

namespace sslbind {

std::string_view key_parameter(KeyKind kind) {
  switch (kind) {
    case KeyKind::IpPort: return "ipport";
    case KeyKind::HostnamePort: return "hostnameport";
    case KeyKind::Ccs: return "ccs";
    case KeyKind::ScopedCcs: return "scopedccs";
  }
  return "ipport";
}

BindingKey BindingKey::ip(const IpPort& ip_port) {
  BindingKey k;
  k.kind_ = KeyKind::IpPort;
  k.ip_ = ip_port;
  k.port_ = ip_port.port;
  return k;
}

BindingKey BindingKey::sni(const HostPort& host_port) { return with_host(KeyKind::HostnamePort, host_port); }
BindingKey BindingKey::scoped_ccs(const HostPort& host_port) { return with_host(KeyKind::ScopedCcs, host_port); }

BindingKey BindingKey::ccs(std::uint16_t port) {
  BindingKey k;
  k.kind_ = KeyKind::Ccs;
  k.port_ = port;
  return k;
}

BindingKey BindingKey::with_host(KeyKind kind, const HostPort& host_port) {
  BindingKey k;
  k.kind_ = kind;
  k.host_ = host_port.host;
  k.host_folded_ = text::to_lower(host_port.host);
  k.port_ = host_port.port;
  return k;
}

std::string BindingKey::value() const {
  switch (kind_) {
    case KeyKind::IpPort: return ip_.str();
    case KeyKind::HostnamePort:
    case KeyKind::ScopedCcs: return host_ + ":" + std::to_string(port_);
    case KeyKind::Ccs: return std::to_string(port_);
  }
  return {};
}

std::string BindingKey::as_parameter() const { return std::string(key_parameter(kind_)) + "=" + value(); }

std::strong_ordering operator<=>(const BindingKey& a, const BindingKey& b) {
  if (auto c = a.kind_ <=> b.kind_; c != 0) return c;
  if (a.kind_ == KeyKind::IpPort) {
    const auto& x = a.ip_.address;
    const auto& y = b.ip_.address;
    if (auto c = x.family() <=> y.family(); c != 0) return c;
    if (auto c = x.bytes() <=> y.bytes(); c != 0) return c;
    return a.port_ <=> b.port_;
  }
  if (auto c = a.host_folded_ <=> b.host_folded_; c != 0) return c;
  return a.port_ <=> b.port_;
}

Status validate_store_name(std::string_view name, std::string_view what) {
  const auto where = [&] { return std::string(what) + " " + text::quote(name); };
  if (name.empty()) return invalid(std::string(what) + " is empty; give a store name such as MY or WebHosting");
  if (name.size() > 64) return invalid(where() + " is longer than 64 bytes");
  if (name == "." || name == "..") return invalid(where() + " is not a store name");
  for (std::size_t i = 0; i < name.size();) {
    const auto cp = text::decode_utf8(name, i);
    if (!cp) return invalid(where() + " is not valid UTF-8");
    if (text::is_invisible(cp->value)) {
      return invalid(where() + " contains the invisible character " + text::describe_code_point(cp->value));
    }
    if (cp->value == '/' || cp->value == '\\') {
      return invalid(where() + " contains a path separator; a store name is a single name such as MY");
    }
    i += cp->length;
  }
  return Ok{};
}

Status validate_text_value(std::string_view value, std::string_view what) {
  const auto where = [&] { return std::string(what) + " " + text::quote(value); };
  if (value.empty()) return invalid(std::string(what) + " is empty");
  if (value.size() > 256) return invalid(where() + " is longer than 256 bytes");
  for (std::size_t i = 0; i < value.size();) {
    const auto cp = text::decode_utf8(value, i);
    if (!cp) return invalid(where() + " is not valid UTF-8");
    if (text::is_invisible(cp->value)) {
      return invalid(where() + " contains the invisible character " + text::describe_code_point(cp->value));
    }
    i += cp->length;
  }
  return Ok{};
}

}  // namespace sslbind
