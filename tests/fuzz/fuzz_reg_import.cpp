// import reg on any bytes: decoded as a file, read as keys, decoded as bindings; never a crash. What it accepts,
// written again by export reg, reads back to the same file (export reg -> import reg is byte for byte).
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/batch.hpp"
#include "core/listing_decoder.hpp"
#include "core/reg_export.hpp"
#include "core/reg_file.hpp"
#include "store/reg_import.hpp"

namespace {

// The registry an import of `bytes` makes, or nothing when it is refused.
std::optional<sslbind::RegistryState> import(std::string_view bytes) {
  sslbind::ListingDecoder decoder;
  std::vector<std::string> lines;
  if (!decoder.feed(bytes, lines) || !decoder.finish(lines)) return std::nullopt;
  auto keys = sslbind::read_reg_file(lines);
  if (!keys) return std::nullopt;
  auto read = sslbind::store::read_reg_import(*keys);
  if (!read) return std::nullopt;
  sslbind::RegistryState state;
  if (!sslbind::apply_batch(state, std::move(read->lines), /*add_or_update=*/false)) return std::nullopt;
  state.ccs_provider = read->ccs_provider;
  return state;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto first = import(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!first) return 0;
  const std::string exported = sslbind::reg_file(*first);
  const auto second = import(exported);
  if (!second || sslbind::reg_file(*second) != exported) std::abort();
  return 0;
}
