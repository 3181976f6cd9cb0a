#include "tests/support/openssl_cli.hpp"

#include <cctype>
#include <stdexcept>

#include "tests/support/process.hpp"

namespace sslbind::test {

void openssl(std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/bin/openssl");
  const auto r = run_process(args);
  if (r.exit_code != 0) throw std::runtime_error("openssl " + args[1] + " failed: " + r.err);
}

std::string openssl_sha1(const std::filesystem::path& pem) {
  const auto r = run_process({"/usr/bin/openssl", "x509", "-in", pem.string(), "-noout", "-fingerprint", "-sha1"});
  if (r.exit_code != 0) throw std::runtime_error("openssl x509 failed: " + r.err);
  std::string hex;
  for (char c : r.out.substr(r.out.find('=') + 1)) {
    if (std::isxdigit(static_cast<unsigned char>(c)))
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return hex;
}

}  // namespace sslbind::test
