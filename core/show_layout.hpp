#pragma once
// The labels of netsh's `show sslcert` and the parameters they show: `show` prints with them, and
// `import netsh` reads Windows' output back with them.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/binding.hpp"

namespace sslbind {

// How a toggle is printed: the classic options say Enabled/Disabled, the newer flags Set/Not Set (the bit's state,
// not the option's: "Disable HTTP2 : Set" means HTTP/2 is off).
enum class Wording { EnabledDisabled, SetNotSet };

struct ToggleRow {
  std::string_view label;
  std::string_view parameter;
  Wording wording;
};

std::string_view show_key_label(KeyKind kind);  // "IP:port", "Hostname:port", "Central Certificate Store", ...
std::span<const ToggleRow> client_cert_rows();  // between "Certificate Store Name" and "Revocation Freshness Time"
std::span<const ToggleRow> flag_rows();         // after "Ctl Store Name"
// No netsh option sets this bit, but netsh shows it.
inline constexpr std::string_view kCachingClientHelloLabel = "Enable Caching Client Hello";
// netsh prints this line, after "Verify Revocation Using Cached Client Certificate Only", only when
// DefaultCertCheckMode has its freshness-time bit (0x4), which `add sslcert` sets with a revocationfreshnesstime.
inline constexpr std::string_view kFreshnessInForceLabel = "Use Revocation Freshness Time";

// The extended properties, after the fields: " Extended Properties:" (one leading space), then "PropertyId : <id>"
// and that id's values, as fields (Windows Server 2019 and later).
inline constexpr std::string_view kExtendedPropertiesLine = "Extended Properties:";
inline constexpr std::string_view kPropertyIdLabel = "PropertyId";
inline constexpr std::string_view kReceiveWindowLabel = "Receive Window";                // PropertyId 0
inline constexpr std::string_view kMaxSettingsPerFrameLabel = "Max Settings Per Frame";  // PropertyId 1
inline constexpr std::string_view kMaxSettingsPerMinuteLabel = "Max Settings Per Minute";

// The labels of an entry after its key, in the order netsh prints them ("Certificate Hash" ... "Enable Caching
// Client Hello"). Each Windows generation prints some of them, in this order: one of layouts().
std::span<const std::string_view> field_labels();

// The fields one Windows generation prints: bit i is field_labels()[i].
struct FieldLayout {
  std::uint32_t fields = 0;
  std::string_view last;  // its last label, to name it in messages
};
// Every layout seen from Windows, fewest fields first: Server 2008 R2 to 2016 end at "Negotiate Client
// Certificate", Server 2019 at "Enable Session Ticket", later builds at "Disable Session ID"; current builds print
// "Enable Caching Client Hello" after "Enable Session Ticket" with or without "Disable Session ID" between them (a
// published Business Central on-premises guide shows the one without), and sslbind's own show prints all.
std::span<const FieldLayout> layouts();

}  // namespace sslbind
