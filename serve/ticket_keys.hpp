#pragma once
// Session-ticket keys (RFC 5077: a 16-byte name, an AES-256-CBC key, an HMAC-SHA256 key) for every listener context
// of the process. On a farm (a registry on etcd) they are the farm's, so that a ticket one front end issued resumes
// on another; the registry keeps them sealed with the farm key and rotates them (docs/registry.md). Without farm
// keys the process makes its own at start, as OpenSSL would. A ticket still resumes only on the binding and
// certificate it was issued for: the session-id context (handshake.cpp) is inside it.
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <array>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

namespace sslbind::serve {

class TicketKeyRing {
 public:
  static constexpr std::size_t kKeyBytes = 80;  // name 16, AES 32, HMAC 32
  static TicketKeyRing& process();

  // The farm's keys, newest first (the newest encrypts, every one decrypts); each kKeyBytes long, others are skipped.
  // Empty: the process's own key.
  void set(const std::vector<std::string>& keys);
  std::size_t size() const;

  // For SSL_CTX_set_tlsext_ticket_key_evp_cb.
  static int callback(SSL* ssl, unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher, EVP_MAC_CTX* mac,
                      int encrypt);

 private:
  TicketKeyRing();
  struct Key {
    std::array<unsigned char, 16> name;
    std::array<unsigned char, 32> aes;
    std::array<unsigned char, 32> hmac;
  };
  static Key key_of(const std::string& bytes);
  int use(unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher, EVP_MAC_CTX* mac, int encrypt) const;

  mutable std::shared_mutex mutex_;
  std::vector<Key> keys_;  // newest first
  Key own_{};
};

}  // namespace sslbind::serve
