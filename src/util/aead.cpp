#include "util/aead.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

namespace s3gw::util {

namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherCtx new_ctx() {
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!ctx) throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  return ctx;
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

unsigned char* bytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

void check_key(std::string_view key) {
  if (key.size() != kAeadKeySize) throw std::invalid_argument("AES-256-GCM needs a 32-byte key");
}

}  // namespace

std::string aead_seal_with_nonce(std::string_view key, std::string_view nonce,
                                 std::string_view plaintext, std::string_view aad) {
  check_key(key);
  if (nonce.size() != kAeadNonceSize) throw std::invalid_argument("GCM nonce must be 12 bytes");
  auto ctx = new_ctx();
  std::string out(kAeadNonceSize + plaintext.size() + kAeadTagSize, '\0');
  out.replace(0, kAeadNonceSize, nonce);
  int len = 0;
  // The default GCM IV length is 12 bytes, the size this format stores.
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad),
                                         static_cast<int>(aad.size())) != 1) ||
      EVP_EncryptUpdate(ctx.get(), bytes(out) + kAeadNonceSize, &len, bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), bytes(out) + kAeadNonceSize + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kAeadTagSize),
                          bytes(out) + kAeadNonceSize + plaintext.size()) != 1) {
    throw std::runtime_error("AES-256-GCM encryption failed");
  }
  return out;
}

std::string aead_seal(std::string_view key, std::string_view plaintext, std::string_view aad) {
  unsigned char nonce[kAeadNonceSize];
  if (RAND_bytes(nonce, sizeof nonce) != 1) throw std::runtime_error("RAND_bytes failed");
  return aead_seal_with_nonce(
      key, std::string_view(reinterpret_cast<const char*>(nonce), sizeof nonce), plaintext, aad);
}

std::optional<std::string> aead_open(std::string_view key, std::string_view sealed,
                                     std::string_view aad) {
  check_key(key);
  if (sealed.size() < kAeadNonceSize + kAeadTagSize) return std::nullopt;
  const std::string_view nonce = sealed.substr(0, kAeadNonceSize);
  const std::string_view ciphertext =
      sealed.substr(kAeadNonceSize, sealed.size() - kAeadNonceSize - kAeadTagSize);
  std::string tag(sealed.substr(sealed.size() - kAeadTagSize));
  auto ctx = new_ctx();
  std::string out(ciphertext.size(), '\0');
  int len = 0;
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
      (!aad.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad),
                                         static_cast<int>(aad.size())) != 1) ||
      EVP_DecryptUpdate(ctx.get(), bytes(out), &len, bytes(ciphertext),
                        static_cast<int>(ciphertext.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kAeadTagSize),
                          bytes(tag)) != 1) {
    return std::nullopt;
  }
  // The tag is checked here; until it passes, `out` holds unauthenticated bytes.
  if (EVP_DecryptFinal_ex(ctx.get(), bytes(out) + len, &len) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return std::nullopt;
  }
  return out;
}

}  // namespace s3gw::util
