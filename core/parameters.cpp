#include "core/parameters.hpp"

#include <array>
#include <string>
#include <vector>

#include "core/key_values.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::string_view kToggle = "enable|disable";

constexpr ParamSpec flag(std::string_view name, std::string_view description, std::uint32_t bit) {
  return ParamSpec{name, ParamType::Toggle, kToggle, description, ToggleField::Flags, bit, true};
}

constexpr std::array<ParamSpec, 31> kParameters{{
    {"ipport", ParamType::IpPortKey, "<ipaddr:port>",
     "IP address and port for the binding; 0.0.0.0 is every IPv4 address, [::] every IPv6 address."},
    {"hostnameport", ParamType::HostPortKey, "<name:port>", "Unicode hostname and port for binding (SNI)."},
    {"ccs", ParamType::CcsKey, "<port>", "Central Certificate Store binding for the port."},
    {"scopedccs", ParamType::ScopedCcsKey, "<name:port>", "Scoped Central Certificate Store binding."},
    {"appid", ParamType::AppId, "<GUID>", "GUID to identify the owning application."},
    {"certhash", ParamType::Hash, "<string>",
     "The SHA hash of the certificate. This hash is 20 bytes long and specified as a hex string."},
    {"certstorename", ParamType::StoreName, "<string>",
     "Store name for the certificate. Required for Hostname based configurations. Defaults to MY for IP based "
     "configurations. Certificate must be stored in the local machine context."},
    {"verifyclientcertrevocation", ParamType::Toggle, kToggle,
     "Turns on/off verification of revocation of client certificates. Default is enabled.", ToggleField::CheckMode,
     check_mode::kNoRevocationCheck, false},
    {"verifyrevocationwithcachedclientcertonly", ParamType::Toggle, kToggle,
     "Turns on/off usage of only cached client certificate for revocation checking.", ToggleField::CheckMode,
     check_mode::kCachedRevocationOnly, true},
    {"usagecheck", ParamType::Toggle, kToggle, "Turns on/off usage check. Default is enabled.", ToggleField::CheckMode,
     check_mode::kNoUsageCheck, false},
    {"revocationfreshnesstime", ParamType::UInt, "<u-int>",
     "Time interval to check for an updated certificate revocation list (CRL) (in seconds). If this value is 0, "
     "then the new CRL is updated only if the previous one expires."},
    {"urlretrievaltimeout", ParamType::UInt, "<u-int>",
     "Timeout on attempt to retrieve certificate revocation list for the remote URL (in milliseconds)."},
    {"sslctlidentifier", ParamType::Text, "<string>",
     "List the certificate issuers that can be trusted. This list can be a subset of the certificate issuers "
     "that are trusted by the computer."},
    {"sslctlstorename", ParamType::StoreName, "<string>",
     "Certificate store name under LOCAL_MACHINE where SslCtlIdentifier is stored."},
    flag("dsmapperusage", "Turns on/off DS mappers. Default is disabled.", ssl_flag::kUseDsMapper),
    flag("clientcertnegotiation", "Turns on/off negotiation of certificate. Default is disabled.",
         ssl_flag::kNegotiateClientCert),
    flag("reject", "Turns on/off reject mode. Any new matching connection is immediately dropped.", ssl_flag::kReject),
    flag("disablehttp2", "Turns on/off HTTP2 for the binding. Default is disabled (HTTP2 on).",
         ssl_flag::kDisableHttp2),
    flag("disablequic", "Turns on/off QUIC for the binding. Default is disabled (QUIC on).", ssl_flag::kDisableQuic),
    flag("disablelegacytls", "Turns on/off legacy TLS versions (TLS 1.0 and 1.1) for the binding.",
         ssl_flag::kDisableLegacyTls),
    flag("disabletls12", "Turns on/off TLS1.2 for the binding.", ssl_flag::kDisableTls12),
    flag("disabletls13", "Turns on/off TLS1.3 for the binding.", ssl_flag::kDisableTls13),
    flag("disableocspstapling", "Turns on/off OCSP stapling for the binding.", ssl_flag::kDisableOcspStapling),
    flag("enabletokenbinding", "Turns on/off token binding for the binding.", ssl_flag::kEnableTokenBinding),
    flag("logextendedevents", "Turns on/off logging of extended events.", ssl_flag::kLogExtendedEvents),
    flag("enablesessionticket", "Turns on/off TLS session tickets for the binding.", ssl_flag::kEnableSessionTicket),
    flag("disablesessionid", "Turns on/off TLS session id resumption for the binding.", ssl_flag::kDisableSessionId),
    // sslbind's own: `dump` writes them when a binding has bits no option above sets (Enable Caching Client Hello,
    // bits read from Windows), so that a restore gives back every bit.
    {"defaultflags", ParamType::RawWord, "<u-int>",
     "sslbind: DefaultFlags as a whole (decimal or 0x hex), for bits no option sets; options given with it must "
     "agree with it."},
    {"defaultsslcertcheckmode", ParamType::RawWord, "<u-int>",
     "sslbind: DefaultSslCertCheckMode as a whole (decimal or 0x hex); options given with it must agree with it."},
    {"json", ParamType::JsonSwitch, kToggle,
     "show only: print the bindings as the JSON document Windows prints (SslCertificateBindings)."},
    {"layout", ParamType::Layout, "2016|2019|2022",
     "show only: print the text as that Windows Server generation's netsh does (2022 by default)."},
}};

}  // namespace

std::span<const ParamSpec> sslcert_parameters() { return kParameters; }

const ParamSpec* find_parameter(std::string_view name) {
  for (const auto& p : sslcert_parameters()) {
    if (text::iequals(p.name, name)) return &p;
  }
  return nullptr;
}

Result<const ParamSpec*> match_sslcert_tag(Verb verb, std::string_view tag, std::string_view command) {
  if (const ParamSpec* exact = find_parameter(tag)) return exact;
  // Prefixes among the tags this verb takes first; then among all, so that a tag another verb takes gets its own
  // message ("certhash= is not used by delete sslcert").
  for (const bool verb_only : {true, false}) {
    std::vector<const ParamSpec*> candidates;
    for (const auto& p : sslcert_parameters()) {
      if (verb_only && !sslcert_verb_takes(verb, p)) continue;
      if (!tag.empty() && p.name.size() > tag.size() && text::iequals(p.name.substr(0, tag.size()), tag)) {
        candidates.push_back(&p);
      }
    }
    if (candidates.size() == 1) return candidates.front();
    if (candidates.size() > 1) {
      std::string names;
      for (const ParamSpec* c : candidates) names += (names.empty() ? "" : ", ") + std::string(c->name);
      return invalid(text::quote(tag) + " is short for more than one parameter of " + std::string(command) + ": " +
                     names + "; give more of the name");
    }
  }
  return unknown_parameter(tag, command);
}

const ParamSpec* sslcert_positional_tag(Verb verb, std::size_t position) {
  static constexpr std::array<std::string_view, 13> kOldStyleOrder{"ipport",
                                                                   "certhash",
                                                                   "appid",
                                                                   "certstorename",
                                                                   "verifyclientcertrevocation",
                                                                   "verifyrevocationwithcachedclientcertonly",
                                                                   "usagecheck",
                                                                   "revocationfreshnesstime",
                                                                   "urlretrievaltimeout",
                                                                   "sslctlidentifier",
                                                                   "sslctlstorename",
                                                                   "dsmapperusage",
                                                                   "clientcertnegotiation"};
  const std::size_t taken = verb == Verb::Add || verb == Verb::Update ? kOldStyleOrder.size() : 1;
  return position < taken ? find_parameter(kOldStyleOrder[position]) : nullptr;
}

bool sslcert_verb_takes(Verb verb, const ParamSpec& spec) {
  if (is_key_parameter(spec)) return true;
  if (spec.type == ParamType::JsonSwitch || spec.type == ParamType::Layout) return verb == Verb::Show;
  return verb == Verb::Add || verb == Verb::Update;
}

bool is_key_parameter(const ParamSpec& spec) {
  return spec.type == ParamType::IpPortKey || spec.type == ParamType::HostPortKey || spec.type == ParamType::CcsKey ||
         spec.type == ParamType::ScopedCcsKey;
}

bool toggle_enabled(const ParamSpec& toggle, const SslSettings& settings) {
  const std::uint32_t word = toggle.field == ToggleField::CheckMode ? settings.check_mode : settings.flags;
  const bool bit_set = (word & toggle.bit) != 0;
  return bit_set == toggle.enable_sets_bit;
}

void set_toggle(const ParamSpec& toggle, SslSettings& settings, bool enable) {
  std::uint32_t& word = toggle.field == ToggleField::CheckMode ? settings.check_mode : settings.flags;
  if (enable == toggle.enable_sets_bit)
    word |= toggle.bit;
  else
    word &= ~toggle.bit;
}

std::vector<std::string> parameter_choices(std::string_view parameter) {
  if (const ParamSpec* p = find_parameter(parameter)) {
    if (p->type == ParamType::Toggle || p->type == ParamType::JsonSwitch) return {"enable", "disable"};
    if (p->type == ParamType::StoreName) return {"MY", "WebHosting"};
    if (p->type == ParamType::Layout) return {"2016", "2019", "2022"};
  }
  return {};
}

std::vector<std::string> path_parameters() { return {"file", "keyfile", "passwordfile", "location"}; }

}  // namespace sslbind
