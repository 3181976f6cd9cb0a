// Reads certificates that the openssl command line made, and compares with what openssl itself reports.
#include <doctest/doctest.h>

#include "store/certificate_file.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tests/support/temp_dir.hpp"

using namespace sslbind;
using store::CertificateSource;
using store::read_certificate;
using test::openssl;
using test::openssl_sha1;

namespace {

struct Fixture {
  test::TempDir dir;
  std::filesystem::path cert = dir.path() / "www.pem";
  std::filesystem::path key = dir.path() / "www.key";
  Fixture() {
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/O=Contoso/CN=www.contoso.com",
             "-addext", "subjectAltName=DNS:www.contoso.com,DNS:contoso.com,IP:10.0.0.5", "-keyout", key.string(),
             "-out", cert.string()});
  }
  std::filesystem::path pfx(const std::string& name, const std::string& password, bool with_key = true) {
    const auto out = dir.path() / name;
    std::vector<std::string> args{"pkcs12", "-export",    "-in",      cert.string(),
                                  "-out",   out.string(), "-passout", "pass:" + password};
    if (with_key)
      args.insert(args.end(), {"-inkey", key.string()});
    else
      args.push_back("-nokeys");
    openssl(args);
    return out;
  }
};

}  // namespace

TEST_CASE("PEM: thumbprint as Windows and openssl compute it, names, SANs, validity, key") {
  Fixture f;
  auto info = read_certificate({f.cert, f.key, ""});
  REQUIRE_MESSAGE(info, (info ? "" : info.error().detail));
  CHECK(info->thumbprint.hex() == openssl_sha1(f.cert));
  CHECK(info->subject == "CN=www.contoso.com, O=Contoso");
  CHECK(info->issuer == info->subject);
  CHECK(info->dns_names == std::vector<std::string>{"www.contoso.com", "contoso.com"});
  CHECK(info->ip_addresses == std::vector<std::string>{"10.0.0.5"});
  CHECK(info->not_after - info->not_before == 30 * 86400);
  CHECK(info->key_type == "RSA 2048");
  CHECK(info->has_private_key);
}

TEST_CASE("PEM: certificate alone has no private key, a foreign key is refused") {
  Fixture f;
  auto alone = read_certificate({f.cert, std::nullopt, ""});
  REQUIRE(alone);
  CHECK_FALSE(alone->has_private_key);
  const auto other_key = f.dir.path() / "other.key";
  openssl({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", other_key.string()});
  auto mismatch = read_certificate({f.cert, other_key, ""});
  REQUIRE_FALSE(mismatch);
  CHECK(mismatch.error().detail.find("does not belong to the certificate") != std::string::npos);
  auto missing_key = read_certificate({f.cert, f.dir.path() / "absent.key", ""});
  CHECK(missing_key.error().detail.find("cannot be opened") != std::string::npos);
}

TEST_CASE("PFX: right password, wrong password, no password, no key") {
  Fixture f;
  const auto pfx = f.pfx("www.contoso.com.pfx", "s3cret");
  auto right = read_certificate({pfx, std::nullopt, "s3cret"});
  REQUIRE_MESSAGE(right, (right ? "" : right.error().detail));
  CHECK(right->has_private_key);
  CHECK(right->thumbprint.hex() == openssl_sha1(f.cert));
  CHECK(read_certificate({pfx, std::nullopt, "wrong"}).error().detail.find("the password is wrong") !=
        std::string::npos);
  CHECK(read_certificate({pfx, std::nullopt, ""}).error().detail.find("needs a password") != std::string::npos);
  auto open = read_certificate({f.pfx("open.pfx", ""), std::nullopt, ""});
  REQUIRE(open);
  CHECK(open->has_private_key);
  auto keyless = read_certificate({f.pfx("keyless.pfx", "x", false), std::nullopt, "x"});
  REQUIRE(keyless);
  CHECK_FALSE(keyless->has_private_key);
}

TEST_CASE("files that are not certificates") {
  test::TempDir dir;
  test::write_file(dir.path() / "junk.pfx", "not a pfx");
  test::write_file(dir.path() / "junk.pem", "not a pem");
  CHECK(read_certificate({dir.path() / "junk.pfx", std::nullopt, ""}).error().detail.find("is not a PFX") !=
        std::string::npos);
  CHECK(read_certificate({dir.path() / "junk.pem", std::nullopt, ""}).error().detail.find("holds no PEM certificate") !=
        std::string::npos);
  CHECK(read_certificate({dir.path() / "absent.pem", std::nullopt, ""}).error().detail.find("cannot be opened") !=
        std::string::npos);
}
