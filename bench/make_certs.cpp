// Writes N self-signed ECDSA P-256 certificates for host names <prefix><i><suffix>, fast enough for 100k: as
// <dir>/pem/<host>.pem (certificate then key, for HAProxy's crt directory and nginx), as <dir>/ccs/<host>.pfx (a
// Central Certificate Store folder, no password), and into an sslbind certificate store <dir>/stores/MY/ together
// with <dir>/bindings.txt, an `sslbind -f` script binding each name with hostnameport=<host>:<port>.
// Usage: sslbind_make_certs DIR COUNT PORT [pem,ccs,store]   (PFX iterations: PBKDF2_ITER, default 2048)
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace {

std::string hex_sha1(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert, EVP_sha1(), md, &n);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xF];
  }
  return out;
}

X509* make_cert(EVP_PKEY* key, const std::string& host, long serial) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 365L * 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(host.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  const std::string san = "DNS:" + host;
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.c_str());
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  X509_sign(cert, key, EVP_sha256());
  return cert;
}

void write_pem(const std::filesystem::path& file, X509* cert, EVP_PKEY* key, bool with_key) {
  FILE* f = std::fopen(file.c_str(), "w");
  PEM_write_X509(f, cert);
  if (with_key) PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: sslbind_make_certs DIR COUNT PORT [pem,ccs,store]\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const long count = std::atol(argv[2]);
  const std::string port = argv[3];
  const std::string kinds = argc > 4 ? argv[4] : "pem,ccs,store";
  const int iterations = std::getenv("PBKDF2_ITER") ? std::atoi(std::getenv("PBKDF2_ITER")) : PKCS12_DEFAULT_ITER;
  const bool pem = kinds.find("pem") != std::string::npos;
  const bool ccs = kinds.find("ccs") != std::string::npos;
  const bool store = kinds.find("store") != std::string::npos;
  for (const char* sub : {"pem", "ccs", "stores/MY"}) std::filesystem::create_directories(dir / sub);
  std::ofstream bindings(dir / "bindings.txt");
  for (long i = 0; i < count; ++i) {
    const std::string host = "site" + std::to_string(i) + ".bench.test";
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = make_cert(key, host, i + 1);
    if (pem) write_pem(dir / "pem" / (host + ".pem"), cert, key, true);
    if (ccs) {
      PKCS12* p12 =
          PKCS12_create("", nullptr, key, cert, nullptr, NID_aes_256_cbc, NID_aes_256_cbc, iterations, iterations, 0);
      FILE* f = std::fopen((dir / "ccs" / (host + ".pfx")).c_str(), "wb");
      i2d_PKCS12_fp(f, p12);
      std::fclose(f);
      PKCS12_free(p12);
    }
    if (store) {
      const std::string thumbprint = hex_sha1(cert);
      write_pem(dir / "stores/MY" / (thumbprint + ".pem"), cert, key, false);
      FILE* f = std::fopen((dir / "stores/MY" / (thumbprint + ".key")).c_str(), "w");
      PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
      std::fclose(f);
      bindings << "add sslcert hostnameport=" << host << ":" << port << " certhash=" << thumbprint
               << " appid={4dc3e181-e14b-4a21-b022-59fc669b0914} certstorename=MY\n";
    }
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  return 0;
}
