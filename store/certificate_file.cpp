#include "store/certificate_encode.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstring>
#include <memory>
#include <vector>

#include "core/text.hpp"
#include "store/atomic_file.hpp"
#include "store/ocsp_fields.hpp"
#include "store/openssl_handles.hpp"

namespace sslbind::store {
namespace {

Error cannot(const std::filesystem::path& file, const std::string& what) {
  return Error(ErrorCode::InvalidParameter, "file " + text::quote(file.string()) + ": " + what);
}

// The file's bytes in a memory BIO: read with read_whole_file's rules (never blocking on a FIFO or a device, a
// regular file only, at most kMaxCertificateFileBytes), so that a share's owner cannot hold a loader with it.
Result<BioPtr> open_file(const std::filesystem::path& file) {
  auto bytes = read_whole_file(file, kMaxCertificateFileBytes);
  if (!bytes) return Error(ErrorCode::InvalidParameter, "file " + bytes.error().detail);
  if (!bytes->exists) return cannot(file, std::string("cannot be opened: ") + std::strerror(ENOENT));
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || BIO_write(bio.get(), bytes->text.data(), static_cast<int>(bytes->text.size())) !=
                  static_cast<int>(bytes->text.size())) {
    ERR_clear_error();
    return cannot(file, "cannot be held in memory");
  }
  return bio;
}

int pem_password(char* buf, int size, int, void* user) {
  const auto* password = static_cast<const std::string*>(user);
  const auto n = static_cast<int>(std::min<std::size_t>(password->size(), static_cast<std::size_t>(size)));
  std::memcpy(buf, password->data(), static_cast<std::size_t>(n));
  return n;
}

std::string name_text(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  // RFC 2253 order (most specific first) with ", " between parts, as Windows displays names.
  const unsigned long flags = (XN_FLAG_RFC2253 & ~XN_FLAG_SEP_MASK) | XN_FLAG_SEP_CPLUS_SPC;
  X509_NAME_print_ex(bio.get(), name, 0, flags);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::int64_t epoch_seconds(const ASN1_TIME* t) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string key_type(EVP_PKEY* key) {
  const int bits = EVP_PKEY_get_bits(key);
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: return "RSA " + std::to_string(bits);
    case EVP_PKEY_EC: {
      std::array<char, 64> group{};
      std::size_t len = 0;
      if (EVP_PKEY_get_group_name(key, group.data(), group.size(), &len) == 1) {
        std::string g(group.data(), len);
        if (g == "prime256v1")
          g = "P-256";
        else if (g == "secp384r1")
          g = "P-384";
        else if (g == "secp521r1")
          g = "P-521";
        return "EC " + g;
      }
      return "EC " + std::to_string(bits);
    }
    case EVP_PKEY_ED25519: return "ED25519";
    case EVP_PKEY_ED448: return "ED448";
    default: return std::string(OBJ_nid2sn(EVP_PKEY_get_base_id(key))) + " " + std::to_string(bits);
  }
}

CertificateInfo describe(X509* cert) {
  CertificateInfo info;
  std::array<std::uint8_t, Thumbprint::kBytes> sha1{};
  unsigned int len = 0;
  X509_digest(cert, EVP_sha1(), sha1.data(), &len);
  info.thumbprint = Thumbprint::from_bytes(sha1);
  info.subject = name_text(X509_get_subject_name(cert));
  info.issuer = name_text(X509_get_issuer_name(cert));
  info.not_before = epoch_seconds(X509_get0_notBefore(cert));
  info.not_after = epoch_seconds(X509_get0_notAfter(cert));
  if (EVP_PKEY* pub = X509_get0_pubkey(cert)) info.key_type = key_type(pub);
  info.must_staple = must_staple(cert);
  info.names_ocsp_responder = ocsp_responder(cert).has_value();
  NamesPtr names(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names.get(), i);
    if (n->type == GEN_DNS) {
      const ASN1_STRING* s = n->d.dNSName;
      info.dns_names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                  static_cast<std::size_t>(ASN1_STRING_length(s)));
    } else if (n->type == GEN_IPADD) {
      const ASN1_STRING* s = n->d.iPAddress;
      char buf[64] = {};
      const auto* d = ASN1_STRING_get0_data(s);
      if (ASN1_STRING_length(s) == 4) {
        std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", d[0], d[1], d[2], d[3]);
        info.ip_addresses.emplace_back(buf);
      } else {
        info.ip_addresses.push_back(text::to_hex(d, static_cast<std::size_t>(ASN1_STRING_length(s))));
      }
    }
  }
  ERR_clear_error();
  return info;
}

struct Pair {
  X509Ptr cert;
  KeyPtr key;
  std::vector<X509Ptr> chain;  // the issuers that came with it, as the file lists them
};

Result<Pair> checked(X509Ptr cert, KeyPtr key, const std::filesystem::path& file) {
  if (key && X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return cannot(file, "the private key does not belong to the certificate " + describe(cert.get()).thumbprint.hex());
  }
  return Pair{std::move(cert), std::move(key), {}};
}

std::string pem_text(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

bool is_pkcs12(const std::filesystem::path& file) {
  const std::string ext = text::to_lower(file.extension().string());
  return ext == ".pfx" || ext == ".p12";
}

Result<Pair> read_pfx(const CertificateSource& src) {
  auto bio = open_file(src.file);
  if (!bio) return bio.error();
  Pkcs12Ptr p12(d2i_PKCS12_bio(bio->get(), nullptr));
  if (!p12) return cannot(src.file, "is not a PFX (PKCS#12) file: " + openssl_reason());
  if (PKCS12_verify_mac(p12.get(), src.password.c_str(), static_cast<int>(src.password.size())) != 1 &&
      !(src.password.empty() && PKCS12_verify_mac(p12.get(), nullptr, 0) == 1)) {
    ERR_clear_error();
    return cannot(src.file, src.password.empty() ? "needs a password" : "the password is wrong");
  }
  EVP_PKEY* key_raw = nullptr;
  X509* cert_raw = nullptr;
  STACK_OF(X509)* chain = nullptr;
  const int ok = PKCS12_parse(p12.get(), src.password.c_str(), &key_raw, &cert_raw, &chain);
  KeyPtr key(key_raw);
  X509Ptr cert(cert_raw);
  // Without a private key PKCS12_parse cannot tell the leaf from the chain and returns every certificate in
  // `chain`; the first one is the leaf in files made by openssl and by Windows' export.
  if (!cert && chain != nullptr && sk_X509_num(chain) > 0) cert.reset(sk_X509_shift(chain));
  std::vector<X509Ptr> issuers;
  while (chain != nullptr && sk_X509_num(chain) > 0) issuers.emplace_back(sk_X509_shift(chain));
  sk_X509_free(chain);
  if (ok != 1) return cannot(src.file, "cannot be decoded: " + openssl_reason());
  if (!cert) return cannot(src.file, "holds no certificate");
  auto pair = checked(std::move(cert), std::move(key), src.file);
  if (pair) pair->chain = std::move(issuers);
  return pair;
}

Result<Pair> read_pem(const CertificateSource& src) {
  auto bio = open_file(src.file);
  if (!bio) return bio.error();
  X509Ptr cert(PEM_read_bio_X509(bio->get(), nullptr, nullptr, nullptr));
  if (!cert) return cannot(src.file, "holds no PEM certificate: " + openssl_reason());
  // Certificates after the first are its chain, as nginx and HAProxy read a PEM bundle.
  std::vector<X509Ptr> issuers;
  while (X509* next = PEM_read_bio_X509(bio->get(), nullptr, nullptr, nullptr)) issuers.emplace_back(next);
  ERR_clear_error();
  const std::filesystem::path& key_path = src.key_file ? *src.key_file : src.file;
  auto key_bio = open_file(key_path);
  if (!key_bio) return key_bio.error();
  auto* password = const_cast<std::string*>(&src.password);
  KeyPtr key(PEM_read_bio_PrivateKey(key_bio->get(), nullptr, pem_password, password));
  if (!key) {
    const std::string reason = openssl_reason();
    // A certificate file without a key is normal; a key file that cannot be read is not.
    if (src.key_file) return cannot(key_path, "holds no private key that can be read: " + reason);
  }
  auto pair = checked(std::move(cert), std::move(key), src.file);
  if (pair) pair->chain = std::move(issuers);
  return pair;
}

}  // namespace

LoadedCertificate encode_certificate(X509* cert, EVP_PKEY* key) {
  LoadedCertificate out;
  out.info = describe(cert);
  out.info.has_private_key = key != nullptr;
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(cert_bio.get(), cert);
  out.certificate_pem = pem_text(cert_bio.get());
  if (key != nullptr) {
    BioPtr key_bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(key_bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    out.private_key_pem = pem_text(key_bio.get());
  }
  return out;
}

Result<LoadedCertificate> load_certificate(const CertificateSource& source) {
  auto pair = is_pkcs12(source.file) ? read_pfx(source) : read_pem(source);
  if (!pair) return pair.error();
  LoadedCertificate out = encode_certificate(pair->cert.get(), pair->key.get());
  for (const X509Ptr& issuer : pair->chain) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), issuer.get());
    out.chain_pem += pem_text(bio.get());
  }
  return out;
}

Result<CertificateInfo> read_certificate(const CertificateSource& source) {
  auto loaded = load_certificate(source);
  if (!loaded) return loaded.error();
  return loaded->info;
}

}  // namespace sslbind::store
