#include "tests/e2e/test_certificates.hpp"

#include "tests/support/openssl_cli.hpp"
#include "tests/support/temp_dir.hpp"

namespace sslbind::test {
namespace {

TestCertificate make(const TempDir& dir, int which) {
  const std::string base = (dir.path() / ("test" + std::to_string(which))).string();
  openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30", "-subj",
           "/CN=test" + std::to_string(which) + ".contoso.com", "-keyout", base + ".key", "-out", base + ".crt"});
  TestCertificate c;
  c.pem = base + ".pem";
  write_file(c.pem, read_file(base + ".crt") + read_file(base + ".key"));
  c.thumbprint = openssl_sha1(c.pem);
  return c;
}

}  // namespace

const TestCertificate& test_certificate(int which) {
  static const TempDir dir;
  static const TestCertificate certificates[2] = {make(dir, 0), make(dir, 1)};
  return certificates[which];
}

}  // namespace sslbind::test
