// The registry reader on any text: never a crash, and whatever it accepts, it writes and reads back the same.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "store/registry_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json rest;
  auto state = sslbind::store::read_registry(text, rest);
  if (!state) return 0;
  const std::string written = sslbind::store::write_registry(*state, rest);
  nlohmann::json again_rest;
  auto again = sslbind::store::read_registry(written, again_rest);
  // What sslbind wrote, sslbind must read, to the same bindings.
  if (!again || again->bindings.size() != state->bindings.size()) std::abort();
  return 0;
}
