#include "store/reg_import.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "core/binding_set.hpp"
#include "core/ip_listen.hpp"
#include "core/text.hpp"
#include "store/registry_decode.hpp"

namespace sslbind::store {
namespace {

using namespace layout;

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out(1);
  for (char c : path) {
    if (c == '\\')
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

// HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\HTTP\Parameters, with ControlSet001 and the like for the
// control set (a `reg export` of an offline hive or a backup names it).
bool control_set(std::string_view name) {
  if (text::iequals(name, "CurrentControlSet")) return true;
  return name.size() == 13 && text::iequals(name.substr(0, 10), "ControlSet") &&
         std::all_of(name.begin() + 10, name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

enum class Place { Container, HttpParameters, Binding, CcsProvider, Other };

struct Located {
  Place place = Place::Other;
  KeyKind kind = KeyKind::IpPort;
  std::string subkey;
};

// Where a key sits. Keys above the ones sslbind reads (HTTP\Parameters, SslBindingInfo) are containers.
Located locate(const std::vector<std::string>& path) {
  auto is = [&](std::size_t i, std::string_view name) { return i < path.size() && text::iequals(path[i], name); };
  if (!is(0, kHive) && !is(0, "HKLM")) return {};
  const std::array<bool, 6> http{
      true,          is(1, "SYSTEM"),    path.size() > 2 && control_set(path[2]), is(3, "Services"),
      is(4, "HTTP"), is(5, "Parameters")};
  std::size_t matched = 0;
  while (matched < http.size() && matched < path.size() && http[matched]) ++matched;
  if (matched == path.size()) {
    return {matched == http.size() ? Place::HttpParameters : Place::Container, KeyKind::IpPort, ""};
  }
  if (matched == http.size()) {
    for (KeyKind kind : kKinds) {
      if (!text::iequals(path[6], binding_info_key(kind))) continue;
      if (path.size() == 7) return {Place::Container, kind, ""};
      if (path.size() == 8) return {Place::Binding, kind, path[7]};
    }
    return {};
  }
  const std::array<std::string_view, 5> provider{"", "SOFTWARE", "Microsoft", "IIS", "CentralCertProvider"};
  std::size_t along = 1;
  while (along < provider.size() && along < path.size() && text::iequals(path[along], provider[along])) ++along;
  if (along == path.size())
    return {along == provider.size() ? Place::CcsProvider : Place::Container, KeyKind::IpPort, ""};
  return {};
}

std::string hex_of(const std::vector<std::uint8_t>& bytes) { return text::to_hex(bytes.data(), bytes.size()); }

// A .reg value in the registry file's form, which the registry decoder reads.
RawValue raw(const RegValue& v) {
  RawValue out{v.name, "", nullptr, true, true, true};
  switch (static_cast<RegType>(v.type)) {
    case RegType::Sz: out.type = "REG_SZ", out.data = v.text; break;
    case RegType::ExpandSz: out.type = "REG_SZ", out.data = v.text; break;  // read as written, not expanded
    case RegType::Dword: out.type = "REG_DWORD", out.data = v.dword; break;
    case RegType::Binary: out.type = "REG_BINARY", out.data = hex_of(v.bytes); break;
    case RegType::MultiSz: out.type = "REG_MULTI_SZ", out.data = v.strings; break;
    default: out.type = "hex(" + std::to_string(v.type) + ")", out.data = hex_of(v.bytes); break;
  }
  return out;
}

std::string value_place(const RegKey& key, const RegValue& v) {
  return key.path + "\\" + (v.name.empty() ? std::string("@") : v.name);
}

Error at_line(std::size_t number, const Error& e) {
  return invalid("line " + std::to_string(number) + ": " + e.detail);
}

// The binding as an add, and its extended properties as update sslpropertyex, numbered by its key's line: the
// batch then refuses a binding the file holds twice (183) as it would two add lines.
Status read_binding(const RegKey& key, const Located& at, std::vector<BatchLine>& lines,
                    std::vector<SkippedLine>& skipped) {
  const auto known = binding_value_names();
  RawValues values;
  for (const RegValue& v : key.values) {
    if (std::find(known.begin(), known.end(), v.name) == known.end()) {
      skipped.push_back({v.line, value_place(key, v) + " (a value sslbind does not keep)"});
      continue;
    }
    values.push_back(raw(v));
  }
  // Windows names a host-name binding by its subkey; sslbind's export also writes the HostnamePort value.
  const bool by_host = at.kind == KeyKind::HostnamePort || at.kind == KeyKind::ScopedCcs;
  const bool has_host =
      std::any_of(values.begin(), values.end(), [](const RawValue& r) { return r.name == kHostnamePort; });
  if (by_host && !has_host) values.push_back(RawValue{kHostnamePort, "REG_SZ", at.subkey, true, true, true});
  BindingSet one;
  if (auto s = decode_subkey(at.kind, at.subkey, values, one); !s) return at_line(key.line, s.error());
  for (const auto& [binding_key, binding] : one) {
    SslCertCommand add;
    add.verb = Verb::Add;
    add.key = binding_key;
    add.settings = binding.settings;
    lines.push_back(BatchLine{key.line, std::move(add), std::nullopt});
    for (BatchLine& p : property_lines(key.line, binding_key, binding.extended)) lines.push_back(std::move(p));
  }
  return Ok{};
}

Status read_provider(const RegKey& key, RegImport& out) {
  RawValues values;
  for (const RegValue& v : key.values) {
    if (v.name == kPassword || v.name == kPrivateKeyPassword) {
      out.skipped.push_back(
          {v.line,
           value_place(key, v) + " (sealed with the Windows machine's key; give it again with sslbind update ccs)"});
      continue;
    }
    const bool known =
        v.name == kEnabled || v.name == kCertStoreLocation || v.name == kUserName || v.name == kPollingInterval;
    if (!known) {
      out.skipped.push_back({v.line, value_place(key, v) + " (a value sslbind does not keep)"});
      continue;
    }
    values.push_back(raw(v));
  }
  json document;
  json& node = make_key(document, kCcsProviderPath.data());
  node = json::object();
  for (const RawValue& r : values) node[r.name] = {{"type", r.type}, {"data", r.data}};
  auto provider = decode_ccs_provider(document);
  if (!provider) return at_line(key.line, provider.error());
  out.ccs_provider = std::move(*provider);
  out.ccs_provider_line = key.line;
  return Ok{};
}

// HTTP\Parameters: its ListenOnlyList becomes add iplisten lines, in the list's order; its other values are not
// sslbind's.
Status read_http_parameters(const RegKey& key, RegImport& out) {
  for (const RegValue& v : key.values) {
    if (v.name != kListenOnlyList) {
      out.skipped.push_back({v.line, value_place(key, v) + " (a value sslbind does not keep)"});
      continue;
    }
    if (v.type != static_cast<std::uint32_t>(RegType::MultiSz)) {
      return invalid("line " + std::to_string(v.line) + ": " + value_place(key, v) +
                     " must be hex(7) (REG_MULTI_SZ), a list of addresses");
    }
    for (const std::string& text : v.strings) {
      auto cmd = parse_iplisten_arguments(Verb::Add, std::vector<std::string>{"ipaddress=" + text});
      if (!cmd)
        return invalid("line " + std::to_string(v.line) + ": " + value_place(key, v) + ": " + cmd.error().detail);
      SslCertCommand unused;
      unused.verb = Verb::Add;
      out.lines.push_back(BatchLine{v.line, std::move(unused), *cmd});
    }
  }
  return Ok{};
}

}  // namespace

Result<RegImport> read_reg_import(const std::vector<RegKey>& keys) {
  RegImport out;
  for (const RegKey& key : keys) {
    const Located at = locate(split_path(key.path));
    switch (at.place) {
      case Place::Binding:
        if (auto s = read_binding(key, at, out.lines, out.skipped); !s) return s.error();
        break;
      case Place::CcsProvider:
        if (auto s = read_provider(key, out); !s) return s.error();
        break;
      case Place::HttpParameters:
        if (auto s = read_http_parameters(key, out); !s) return s.error();
        break;
      case Place::Container:
        for (const RegValue& v : key.values) {
          out.skipped.push_back({v.line, value_place(key, v) + " (a value sslbind does not keep)"});
        }
        break;
      case Place::Other: out.skipped.push_back({key.line, "[" + key.path + "] (a key sslbind does not keep)"}); break;
    }
  }
  return out;
}

}  // namespace sslbind::store
