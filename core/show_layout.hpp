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
// Client Hello"). Each Windows generation prints some of them, in this order.
std::span<const std::string_view> field_labels();
// The bit of a label in a field set (bit i: field_labels()[i]), or 0 for a label that is not a field.
std::uint32_t field_bit(std::string_view label);

// What `show sslcert layout=` prints for one Windows generation: the fields (bit i: field_labels()[i]), whether the
// Extended Properties blocks follow them, and the blank lines between the header's dashes and the first entry.
struct ShowGeneration {
  std::string_view name;  // "2016", "2019", "2022"
  std::uint32_t fields = 0;
  bool extended_properties = false;
  int blank_lines_after_header = 1;
};
// Server 2008 R2 to 2016 end at "Negotiate Client Certificate"; Server 2019 adds the flags through "Enable Session
// Ticket" and the Extended Properties; Server 2022 "Disable Session ID" and "Enable Caching Client Hello", and
// three blank lines after the header. 2022 first; the default.
std::span<const ShowGeneration> show_generations();
const ShowGeneration* find_show_generation(std::string_view name);

// The labels a complete entry can end its fields with, by Windows build: a listing whose last field is another was
// cut. (Current builds print "Enable Caching Client Hello" after "Enable Session Ticket" with or without "Disable
// Session ID" between them: a published Business Central on-premises guide shows the one without.)
bool is_layout_end(std::string_view label);

}  // namespace sslbind
