#include "tests/e2e/test_certificates.hpp"

#include <cctype>
#include <stdexcept>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace sslbind::test {
namespace {

TestCertificate make(const TempDir& dir, int which) {
  const std::string base = (dir.path() / ("test" + std::to_string(which))).string();
  const auto r = run_process({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                              "-nodes", "-days", "30", "-subj", "/CN=test" + std::to_string(which) + ".contoso.com",
                              "-keyout", base + ".key", "-out", base + ".crt"});
  if (r.exit_code != 0) throw std::runtime_error("openssl req failed: " + r.err);
  TestCertificate c;
  c.pem = base + ".pem";
  write_file(c.pem, read_file(base + ".crt") + read_file(base + ".key"));
  const auto fp = run_process({"/usr/bin/openssl", "x509", "-in", c.pem, "-noout", "-fingerprint", "-sha1"});
  for (char ch : fp.out.substr(fp.out.find('=') + 1)) {
    if (std::isxdigit(static_cast<unsigned char>(ch))) c.thumbprint += static_cast<char>(std::tolower(ch));
  }
  return c;
}

}  // namespace

const TestCertificate& test_certificate(int which) {
  static const TempDir dir;
  static const TestCertificate certificates[2] = {make(dir, 0), make(dir, 1)};
  return certificates[which];
}

}  // namespace sslbind::test
