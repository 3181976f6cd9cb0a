#pragma once
// A binding's extended properties, as HTTP.SYS keeps them beside its SSL parameters (HTTP_SERVICE_CONFIG_SSL_PARAM_EX)
// and as Windows Server 2019 and later list them under "Extended Properties:". netsh sets two of them with
// `update sslpropertyex`: PropertyId 0, the HTTP/2 receive window, and PropertyId 1, the HTTP/2 SETTINGS limits.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sslbind {

// HTTP_SSL_SERVICE_CONFIG_EX_PARAM_TYPE.
enum class PropertyId : std::uint32_t {
  Http2Window = 0,
  Http2SettingsLimits = 1,
  HttpPerformance = 2,
  TlsRestrictions = 3,
  ErrorHeaders = 4,
};
// The ids `show sslcert` lists, in order (Windows Server 2022 prints a block for each, empty past 1).
inline constexpr std::uint32_t kListedPropertyIds = 5;

struct ExtendedProperties {
  // What Windows lists for a binding that never had them set.
  static constexpr std::uint32_t kDefaultReceiveWindow = 1048576;
  static constexpr std::uint32_t kDefaultMaxSettingsPerFrame = 2796202;
  static constexpr std::uint32_t kDefaultMaxSettingsPerMinute = 4294967295;

  std::uint32_t receive_window = kDefaultReceiveWindow;                  // PropertyId 0, bytes
  std::uint32_t max_settings_per_frame = kDefaultMaxSettingsPerFrame;    // PropertyId 1
  std::uint32_t max_settings_per_minute = kDefaultMaxSettingsPerMinute;  // PropertyId 1

  bool http2_window_is_default() const { return receive_window == kDefaultReceiveWindow; }
  bool settings_limits_are_default() const {
    return max_settings_per_frame == kDefaultMaxSettingsPerFrame &&
           max_settings_per_minute == kDefaultMaxSettingsPerMinute;
  }

  friend bool operator==(const ExtendedProperties&, const ExtendedProperties&) = default;
};

// What one `update sslpropertyex` sets: one property id and the values given for it.
struct PropertyChange {
  PropertyId id = PropertyId::Http2Window;
  std::optional<std::uint32_t> receive_window;
  std::optional<std::uint32_t> max_settings_per_frame;
  std::optional<std::uint32_t> max_settings_per_minute;

  void apply(ExtendedProperties& properties) const;
};

// The update sslpropertyex commands that give a binding with the defaults these properties (import and dump).
std::vector<PropertyChange> changes_from_defaults(const ExtendedProperties& properties);
// The parameters of one change as netsh takes them: "propertyid=0 receivewindow=262144".
std::string change_parameters(const PropertyChange& change);

// The receive window is an HTTP/2 flow-control window: 1 to 2^31-1 bytes (RFC 9113, section 6.9.1).
inline constexpr std::uint32_t kMaxReceiveWindow = 0x7FFFFFFF;
Status validate_receive_window(std::uint32_t bytes);

// The HTTP_SSL_SERVICE_CONFIG_EX_PARAM_TYPE name of an id ("Http2Window"), for messages.
std::string_view property_id_name(std::uint32_t id);

}  // namespace sslbind
