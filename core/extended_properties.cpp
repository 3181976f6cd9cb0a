#include "core/extended_properties.hpp"

#include <string>

namespace sslbind {

void PropertyChange::apply(ExtendedProperties& properties) const {
  if (receive_window) properties.receive_window = *receive_window;
  if (max_settings_per_frame) properties.max_settings_per_frame = *max_settings_per_frame;
  if (max_settings_per_minute) properties.max_settings_per_minute = *max_settings_per_minute;
}

std::vector<PropertyChange> changes_from_defaults(const ExtendedProperties& x) {
  std::vector<PropertyChange> out;
  if (!x.http2_window_is_default()) out.push_back({PropertyId::Http2Window, x.receive_window, {}, {}});
  if (!x.settings_limits_are_default()) {
    out.push_back({PropertyId::Http2SettingsLimits, {}, x.max_settings_per_frame, x.max_settings_per_minute});
  }
  return out;
}

std::string change_parameters(const PropertyChange& c) {
  std::string out = "propertyid=" + std::to_string(static_cast<std::uint32_t>(c.id));
  if (c.receive_window) out += " receivewindow=" + std::to_string(*c.receive_window);
  if (c.max_settings_per_frame) out += " maxsettingsperframe=" + std::to_string(*c.max_settings_per_frame);
  if (c.max_settings_per_minute) out += " maxsettingsperminute=" + std::to_string(*c.max_settings_per_minute);
  return out;
}

Status validate_receive_window(std::uint32_t bytes) {
  if (bytes >= 1 && bytes <= kMaxReceiveWindow) return Ok{};
  return invalid("receivewindow=" + std::to_string(bytes) +
                 " is not an HTTP/2 flow-control window; it takes 1 to 2147483647 bytes");
}

std::string_view property_id_name(std::uint32_t id) {
  switch (id) {
    case 0: return "Http2Window";
    case 1: return "Http2SettingsLimits";
    case 2: return "HttpPerformance";
    case 3: return "TlsRestrictions";
    case 4: return "ErrorHeaders";
    case 5: return "TlsSessionTicketKeys";
    case 6: return "CertConfig";
  }
  return "";
}

}  // namespace sslbind
