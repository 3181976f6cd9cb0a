#include "serve/http2_limits.hpp"

#include <algorithm>

namespace sslbind::serve {

Http2Limits http2_limits(const ExtendedProperties& properties) {
  Http2Limits limits;
  limits.window = std::clamp<std::uint32_t>(properties.receive_window, 1, kMaxReceiveWindow);
  if (properties.max_settings_per_frame != ExtendedProperties::kDefaultMaxSettingsPerFrame) {
    limits.max_settings_per_frame = properties.max_settings_per_frame;
  }
  if (properties.max_settings_per_minute != ExtendedProperties::kDefaultMaxSettingsPerMinute) {
    limits.max_settings_per_minute = properties.max_settings_per_minute;
  }
  return limits;
}

bool TokenBucket::take(std::int64_t now_ms) {
  if (last_ms_ >= 0 && now_ms > last_ms_) {
    tokens_ = std::min<double>(burst_, tokens_ + static_cast<double>(now_ms - last_ms_) * rate_ / 1000.0);
  }
  last_ms_ = std::max(last_ms_, now_ms);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

bool SettingsPerMinute::add(std::uint32_t entries, std::int64_t now_ms) {
  if (limit_ == 0) return true;
  if (period_start_ms_ < 0 || now_ms - period_start_ms_ >= 60'000) {
    period_start_ms_ = now_ms;
    count_ = 0;
  }
  count_ += entries;
  return count_ <= limit_;
}

}  // namespace sslbind::serve
