// A batch file (-f) on any text: split into command lines and parsed as sslcert commands; never a crash.
#include <cstdint>
#include <string_view>

#include "core/batch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)sslbind::parse_batch(text);
  return 0;
}
