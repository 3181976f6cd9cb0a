#include "store/self_signed.hpp"

#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <array>
#include <string>

#include "store/certificate_encode.hpp"
#include "store/openssl_handles.hpp"

namespace sslbind::store {
namespace {

Error failed(const std::string& step) {
  return Error(ErrorCode::RegistryWriteFailed,
               "cannot make a self-signed certificate (" + step + "): " + openssl_reason());
}

bool add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

}  // namespace

Result<LoadedCertificate> make_self_signed(const SelfSignedSpec& spec) {
  KeyPtr key(EVP_RSA_gen(2048));
  if (!key) return failed("RSA key");
  X509Ptr cert(X509_new());
  if (!cert) return failed("certificate");
  // A random 64-bit serial: two certificates made on the same machine must not share issuer and serial.
  std::array<unsigned char, 8> serial{};
  if (RAND_bytes(serial.data(), static_cast<int>(serial.size())) != 1) return failed("serial");
  serial[0] &= 0x7F;
  BIGNUM* bn = BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr);
  const bool serial_ok = bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) != nullptr;
  BN_free(bn);
  if (!serial_ok) return failed("serial");
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string& cn = spec.common_name;
  std::string san;
  for (const auto& dns : spec.dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + dns;
  const bool ok = X509_set_version(cert.get(), X509_VERSION_3) == 1 &&
                  X509_gmtime_adj(X509_getm_notBefore(cert.get()), static_cast<long>(spec.valid_from)) != nullptr &&
                  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(spec.valid_to)) != nullptr &&
                  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0) == 1 &&
                  X509_set_issuer_name(cert.get(), name) == 1 && X509_set_pubkey(cert.get(), key.get()) == 1 &&
                  add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") &&
                  add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment") &&
                  add_extension(cert.get(), NID_ext_key_usage, "serverAuth") &&
                  add_extension(cert.get(), NID_subject_key_identifier, "hash") &&
                  (san.empty() || add_extension(cert.get(), NID_subject_alt_name, san.c_str())) &&
                  X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
  if (!ok) return failed("signing");
  return encode_certificate(cert.get(), key.get());
}

}  // namespace sslbind::store
