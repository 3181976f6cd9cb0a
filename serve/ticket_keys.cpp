#include "serve/ticket_keys.hpp"

#include <openssl/core_names.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace sslbind::serve {

TicketKeyRing& TicketKeyRing::process() {
  static TicketKeyRing ring;
  return ring;
}

TicketKeyRing::TicketKeyRing() {
  std::string bytes(kKeyBytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  own_ = key_of(bytes);
}

TicketKeyRing::Key TicketKeyRing::key_of(const std::string& bytes) {
  Key k{};
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::copy(p, p + 16, k.name.begin());
  std::copy(p + 16, p + 48, k.aes.begin());
  std::copy(p + 48, p + 80, k.hmac.begin());
  return k;
}

void TicketKeyRing::set(const std::vector<std::string>& keys) {
  std::vector<Key> made;
  for (const std::string& bytes : keys) {
    if (bytes.size() == kKeyBytes) made.push_back(key_of(bytes));
  }
  std::unique_lock lock(mutex_);
  keys_ = std::move(made);
}

std::size_t TicketKeyRing::size() const {
  std::shared_lock lock(mutex_);
  return keys_.size();
}

int TicketKeyRing::use(unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher, EVP_MAC_CTX* mac,
                       int encrypt) const {
  std::shared_lock lock(mutex_);
  const Key* key = nullptr;
  bool newest = true;
  if (encrypt != 0) {
    key = keys_.empty() ? &own_ : &keys_.front();
    std::memcpy(name, key->name.data(), key->name.size());
    if (RAND_bytes(iv, EVP_MAX_IV_LENGTH) != 1) return -1;
  } else {
    for (std::size_t i = 0; i < keys_.size() && key == nullptr; ++i) {
      if (std::memcmp(name, keys_[i].name.data(), 16) == 0) {
        key = &keys_[i];
        newest = i == 0;
      }
    }
    if (key == nullptr && std::memcmp(name, own_.name.data(), 16) == 0) {
      key = &own_;
      newest = keys_.empty();
    }
    if (key == nullptr) return 0;  // not ours (another farm, or rotated out): a full handshake
  }
  OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(
                             OSSL_MAC_PARAM_KEY, const_cast<unsigned char*>(key->hmac.data()), key->hmac.size()),
                         OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>("SHA256"), 0),
                         OSSL_PARAM_construct_end()};
  if (EVP_MAC_CTX_set_params(mac, params) != 1) return -1;
  const int ok = encrypt != 0 ? EVP_EncryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, key->aes.data(), iv)
                              : EVP_DecryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, key->aes.data(), iv);
  if (ok != 1) return -1;
  // 2: decrypted with an older key; OpenSSL then issues a ticket under the newest.
  return encrypt != 0 || newest ? 1 : 2;
}

int TicketKeyRing::callback(SSL*, unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher, EVP_MAC_CTX* mac,
                            int encrypt) {
  return process().use(name, iv, cipher, mac, encrypt);
}

}  // namespace sslbind::serve
