#pragma once
// A temporary folder for a fuzz target's files, made on first use and removed when the fuzzer exits.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace sslbind::fuzz {

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name) {
    std::string d = (std::filesystem::temp_directory_path() / (name + ".XXXXXX")).string();
    if (::mkdtemp(d.data()) == nullptr) std::abort();
    path_ = d;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace sslbind::fuzz
