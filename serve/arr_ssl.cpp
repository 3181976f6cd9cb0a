#include "serve/arr_ssl.hpp"

#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <string_view>

namespace sslbind::serve {
namespace {

// CertNameToStr's X.500 keys, by OpenSSL's NID.
std::string windows_key(const ASN1_OBJECT* type) {
  switch (OBJ_obj2nid(type)) {
    case NID_commonName: return "CN";
    case NID_countryName: return "C";
    case NID_localityName: return "L";
    case NID_stateOrProvinceName: return "S";
    case NID_organizationName: return "O";
    case NID_organizationalUnitName: return "OU";
    case NID_pkcs9_emailAddress: return "E";
    case NID_streetAddress: return "STREET";
    case NID_domainComponent: return "DC";
    case NID_givenName: return "G";
    case NID_initials: return "I";
    case NID_surname: return "SN";
    case NID_title: return "T";
    case NID_serialNumber: return "SERIALNUMBER";
    case NID_postalCode: return "PostalCode";
    case NID_description: return "Description";
    case NID_userId: return "UID";
    default: break;
  }
  char dotted[128] = {};
  OBJ_obj2txt(dotted, sizeof dotted, type, 1);
  return std::string("OID.") + dotted;
}

// CertNameToStr quotes a value that holds one of ,+="<>#; or a line break, or starts or ends with a space.
std::string windows_value(std::string value) {
  const bool quote = value.find_first_of(",+=\"<>#;\r\n") != std::string::npos ||
                     (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) return value;
  std::string out = "\"";
  for (const char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string windows_name_text(const X509_NAME* name) {
  std::string out;
  int previous_set = -1;
  const int count = X509_NAME_entry_count(name);
  for (int i = 0; i < count; ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    const int set = X509_NAME_ENTRY_set(entry);
    if (i > 0) out += set == previous_set ? " + " : ", ";
    previous_set = set;
    unsigned char* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
    std::string value = length >= 0 ? std::string(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length))
                                    : std::string();
    OPENSSL_free(utf8);
    out += windows_key(X509_NAME_ENTRY_get_object(entry)) + "=" + windows_value(std::move(value));
  }
  // '|' separates the fields of the header: a name holding one keeps the header parseable without it.
  for (char& c : out) {
    if (c == '|') c = ' ';
  }
  return out;
}

std::string arr_ssl_value(SSL* ssl) {
  X509* certificate = SSL_get_certificate(ssl);
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
  if (certificate == nullptr || cipher == nullptr) return "";
  EVP_PKEY* key = X509_get0_pubkey(certificate);
  const int key_bits = key != nullptr ? EVP_PKEY_get_bits(key) : 0;
  const int cipher_bits = SSL_CIPHER_get_bits(cipher, nullptr);
  return std::to_string(key_bits) + "|" + std::to_string(cipher_bits) + "|" +
         windows_name_text(X509_get_issuer_name(certificate)) + "|" +
         windows_name_text(X509_get_subject_name(certificate));
}

}  // namespace sslbind::serve
