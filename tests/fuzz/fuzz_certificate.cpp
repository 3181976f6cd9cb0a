// Certificate files as `add cert` and the CCS provider read them: the first byte picks PEM or PFX and a password,
// the rest is the file; never a crash, and a certificate read has a thumbprint.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "store/certificate_file.hpp"
#include "tests/fuzz/scratch_dir.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const sslbind::fuzz::ScratchDir scratch("sslbind-fuzz-cert");
  const std::filesystem::path& dir = scratch.path();
  const bool pfx = (data[0] & 1) != 0;
  const std::string password = (data[0] & 2) != 0 ? "secret" : "";
  const auto file = dir / (pfx ? "input.pfx" : "input.pem");
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data) + 1, static_cast<std::streamsize>(size - 1));
  }
  auto loaded = sslbind::store::load_certificate({file, std::nullopt, password});
  if (loaded && loaded->certificate_pem.empty()) std::abort();
  std::filesystem::remove(file);
  return 0;
}
