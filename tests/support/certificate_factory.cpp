#include "tests/support/certificate_factory.hpp"

#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include <stdexcept>

#include "store/openssl_handles.hpp"
#include "tests/support/temp_dir.hpp"

namespace sslbind::test {
namespace {

store::LoadedCertificate make(const store::SelfSignedSpec& spec) {
  auto made = store::make_self_signed(spec);
  if (!made) throw std::runtime_error(made.error().detail);
  return *made;
}

}  // namespace

std::string write_pfx(const std::filesystem::path& file, const store::SelfSignedSpec& spec, const std::string& password,
                      bool with_key) {
  const auto loaded = make(spec);
  store::BioPtr cert_bio(
      BIO_new_mem_buf(loaded.certificate_pem.data(), static_cast<int>(loaded.certificate_pem.size())));
  store::BioPtr key_bio(
      BIO_new_mem_buf(loaded.private_key_pem.data(), static_cast<int>(loaded.private_key_pem.size())));
  store::X509Ptr cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  store::KeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  store::Pkcs12Ptr p12(
      PKCS12_create(password.c_str(), nullptr, with_key ? key.get() : nullptr, cert.get(), nullptr, 0, 0, 0, 0, 0));
  if (!p12) throw std::runtime_error("PKCS12_create failed: " + store::openssl_reason());
  store::BioPtr out(BIO_new_file(file.c_str(), "wb"));
  if (!out || i2d_PKCS12_bio(out.get(), p12.get()) != 1) throw std::runtime_error("cannot write " + file.string());
  return loaded.info.thumbprint.hex();
}

std::string write_pem(const std::filesystem::path& file, const store::SelfSignedSpec& spec) {
  const auto loaded = make(spec);
  write_file(file, loaded.certificate_pem + loaded.private_key_pem);
  return loaded.info.thumbprint.hex();
}

store::SelfSignedSpec host_certificate(const std::string& host, std::int64_t days) {
  return {host, {host}, -kDay, days * kDay};
}

}  // namespace sslbind::test
