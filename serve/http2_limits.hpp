#pragma once
// What one HTTP/2 connection may do, from the binding that served its handshake (HTTP.SYS's PropertyId 0 and 1)
// and the flood defences set explicitly rather than left to nghttp2's defaults. docs/http2.md lists each with its
// reason. Pure values and counters: the session applies them.
#include <cstdint>

#include "core/extended_properties.hpp"

namespace sslbind::serve {

struct Http2Limits {
  // PropertyId 0: the connection window and each stream's initial window, in bytes.
  std::uint32_t window = ExtendedProperties::kDefaultReceiveWindow;
  // PropertyId 1 per frame: more entries in one SETTINGS frame end the connection. Windows' "no limit" keeps
  // nghttp2's own cap (32, the CVE-2020-11080 fix), since no limit at all is the flood.
  std::uint32_t max_settings_per_frame = 32;
  // PropertyId 1 per minute: entries over all SETTINGS frames within a minute; 0 is no limit.
  std::uint32_t max_settings_per_minute = 0;
  std::uint32_t max_concurrent_streams = 100;  // as HAProxy, nginx and HTTP.SYS advertise
  // Streams one connection may open in all; past it a graceful GOAWAY sends the client to a new connection
  // (HAProxy's tune.h2.fe.max-total-streams).
  std::uint32_t max_total_streams = 100'000;
  // New streams opened by one read of the socket (nginx's per-iteration limit: twice the concurrency).
  std::uint32_t max_new_streams_per_read = 200;
  // Client resets (CVE-2023-44487, rapid reset): nghttp2's token bucket, burst and per-second refill.
  std::uint32_t reset_burst = 1000;
  std::uint32_t reset_rate = 33;
  std::uint32_t max_continuations = 8;    // CVE-2024-28182
  std::uint32_t max_outbound_ack = 1000;  // SETTINGS and PING acknowledgements queued unsent
  // Errors the client makes the server answer (stream errors it resets, invalid frames, refused requests): the
  // MadeYouReset class (CVE-2025-8671), which Debian's nghttp2 1.52 does not count. Burst and per-second refill.
  std::uint32_t glitch_burst = 100;
  std::uint32_t glitch_rate = 10;
  // Bytes of response waiting for the client per stream before its web worker is read again, and of frames
  // waiting for the socket per connection before the session stops producing them.
  std::uint32_t stream_buffer = 32 * 1024;
  std::uint32_t connection_buffer = 64 * 1024;
};

Http2Limits http2_limits(const ExtendedProperties& properties);

// A token bucket: `burst` tokens, `rate` more each second. take() is false once it is empty.
class TokenBucket {
 public:
  TokenBucket(std::uint32_t burst, std::uint32_t rate) : burst_(burst), rate_(rate), tokens_(burst) {}
  bool take(std::int64_t now_ms);

 private:
  std::uint32_t burst_;
  std::uint32_t rate_;
  double tokens_;
  std::int64_t last_ms_ = -1;
};

// SETTINGS entries counted over one-minute periods, as HTTP.SYS counts Http2MaxSettingsPerMinute.
class SettingsPerMinute {
 public:
  explicit SettingsPerMinute(std::uint32_t limit) : limit_(limit) {}
  // False once the entries within the current minute pass the limit.
  bool add(std::uint32_t entries, std::int64_t now_ms);

 private:
  std::uint32_t limit_;
  std::uint64_t count_ = 0;
  std::int64_t period_start_ms_ = -1;
};

}  // namespace sslbind::serve
