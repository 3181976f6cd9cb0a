#include "store/sealed_secret.hpp"

#include "store/base64.hpp"

#include <openssl/rand.h>

#include <array>
#include <vector>

#include "core/text.hpp"
#include "store/atomic_file.hpp"
#include "store/openssl_handles.hpp"
#include "store/strict_modes.hpp"

namespace sslbind::store {
namespace {

constexpr std::string_view kPrefix = "sslbind-aes-256-gcm:";
constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
using Key = std::array<unsigned char, kKeyBytes>;

Error damaged(const std::filesystem::path& key_file, const std::string& why) {
  return Error(ErrorCode::RegistryUnreadable,
               "a sealed password cannot be opened with " + key_file.string() + ": " + why +
                   "; on a farm (--store etcd://...), import the farm's key made where it was set: sslbind import "
                   "farmkey file=<exported>; else set it again with: sslbind update ccs passwordfile=<file>");
}

Result<Key> parse_key(const std::filesystem::path& file, const std::string& text) {
  Key key{};
  if (text.size() < 2 * kKeyBytes) return damaged(file, "the key file is damaged");
  for (std::size_t i = 0; i < 2 * kKeyBytes; ++i) {
    if (!text::is_hex_digit(text[i])) return damaged(file, "the key file is damaged");
    key[i / 2] = static_cast<unsigned char>(key[i / 2] |
                                            (i % 2 == 0 ? text::hex_value(text[i]) << 4 : text::hex_value(text[i])));
  }
  return key;
}

Result<Key> read_key(const std::filesystem::path& file) {
  if (auto s = check_private(file.parent_path(), PrivateKind::Folder); !s) return s.error();
  if (auto s = check_private(file, PrivateKind::File); !s) return s.error();
  auto text = read_whole_file(file, kMaxKeyFileBytes, FollowLinks::No);
  if (!text) return text.error();
  if (!text->exists) return damaged(file, "the key file is missing");
  return parse_key(file, text->text);
}

Result<Key> read_or_create_key(const std::filesystem::path& file) {
  Key fresh{};
  if (RAND_bytes(fresh.data(), static_cast<int>(fresh.size())) != 1) {
    return Error(ErrorCode::RegistryWriteFailed, "no random bytes for a key: " + openssl_reason());
  }
  if (auto s = check_private(file.parent_path(), PrivateKind::Folder); !s) return s.error();
  if (auto s = ensure_private_folder(file.parent_path()); !s) return s.error();
  auto created = create_file_once(file, text::to_hex(fresh.data(), fresh.size()) + "\n", 0600);
  if (!created) return created.error();
  if (*created) return fresh;
  return read_key(file);
}

}  // namespace

constexpr std::string_view kExportPrefix = "sslbind-farm-key:";

Result<std::string> SecretSealer::export_key() const {
  auto key = read_or_create_key(key_file_);
  if (!key) return key.error();
  return std::string(kExportPrefix) + text::to_hex(key->data(), key->size()) + "\n";
}

Status SecretSealer::import_key(std::string_view exported) const {
  std::string text(exported.substr(0, exported.find_first_of("\r\n")));
  if (!text.starts_with(kExportPrefix) || text.size() != kExportPrefix.size() + 2 * kKeyBytes) {
    return invalid("not an exported farm key: the file holds one line, " + std::string(kExportPrefix) +
                   " and 64 hex digits, as sslbind export farmkey writes it");
  }
  text.erase(0, kExportPrefix.size());
  auto key = parse_key(key_file_, text);
  if (!key) return invalid("not an exported farm key: its 64 characters are not all hex digits");
  if (auto s = check_private(key_file_.parent_path(), PrivateKind::Folder); !s) return s.error();
  if (auto s = ensure_private_folder(key_file_.parent_path()); !s) return s.error();
  auto created = create_file_once(key_file_, text::to_hex(key->data(), key->size()) + "\n", 0600);
  if (!created) return created.error();
  if (*created) return Ok{};
  auto held = read_key(key_file_);
  if (!held) return held.error();
  if (*held == *key) return Ok{};
  return Error(ErrorCode::AlreadyExists,
               key_file_.string() +
                   " already holds another key, and what it sealed would no longer open; to take the "
                   "farm's key, move that file away (and set the secrets it sealed again)");
}

Result<std::string> SecretSealer::seal(std::string_view secret) const {
  auto key = read_or_create_key(key_file_);
  if (!key) return key.error();
  std::vector<unsigned char> out(kNonceBytes + secret.size() + kTagBytes);
  if (RAND_bytes(out.data(), static_cast<int>(kNonceBytes)) != 1) {
    return Error(ErrorCode::RegistryWriteFailed, "no random bytes for a nonce: " + openssl_reason());
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  unsigned char* body = out.data() + kNonceBytes;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key->data(), out.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), body, &len, reinterpret_cast<const unsigned char*>(secret.data()),
                        static_cast<int>(secret.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), body + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes), body + secret.size()) != 1) {
    return Error(ErrorCode::RegistryWriteFailed, "cannot seal a password: " + openssl_reason());
  }
  return std::string(kPrefix) + base64(out);
}

Result<std::string> SecretSealer::unseal(std::string_view sealed) const {
  if (!sealed.starts_with(kPrefix)) return damaged(key_file_, "it was not sealed by sslbind");
  const auto bytes = unbase64(sealed.substr(kPrefix.size()));
  if (!bytes || bytes->size() < kNonceBytes + kTagBytes) return damaged(key_file_, "the sealed text is damaged");
  auto key = read_key(key_file_);
  if (!key) return key.error();
  const std::size_t body_size = bytes->size() - kNonceBytes - kTagBytes;
  std::string out(body_size, '\0');
  std::array<unsigned char, kTagBytes> tag{};
  std::copy(bytes->end() - static_cast<std::ptrdiff_t>(kTagBytes), bytes->end(), tag.begin());
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  auto* plain = reinterpret_cast<unsigned char*>(out.data());
  const bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key->data(), bytes->data()) == 1 &&
      EVP_DecryptUpdate(ctx.get(), plain, &len, bytes->data() + kNonceBytes, static_cast<int>(body_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), plain + len, &len) == 1;
  if (!ok) {
    ERR_clear_error();
    return damaged(key_file_, "the key does not open it (another machine's key, or a damaged value)");
  }
  return out;
}

}  // namespace sslbind::store
