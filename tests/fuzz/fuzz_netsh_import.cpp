// import netsh on any bytes: the encoding decoder fed in pieces of every size the first byte picks, then the
// listing reader; never a crash, and the result does not depend on how the bytes were cut.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/netsh_import.hpp"

namespace {

// The bindings read, or the error, as one comparable text.
std::string import(std::string_view bytes, std::size_t piece) {
  sslbind::NetshListingFile listing;
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    if (auto s = listing.feed(bytes.substr(at, piece)); !s) return "error " + s.error().detail;
  }
  auto read = listing.finish();
  if (!read) return "error " + read.error().detail;
  std::string out;
  for (const auto& line : *read) {
    out += std::to_string(line.number) + " " + (line.command.key ? line.command.key->as_parameter() : "-") + "\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 16;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (import(bytes, piece) != import(bytes, bytes.size() + 1)) std::abort();
  return 0;
}
