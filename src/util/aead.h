#pragma once
// AES-256-GCM authenticated encryption for small secrets at rest (DESIGN.md invariant 7).
// The sealed form is self-contained: nonce (12 bytes) || ciphertext || tag (16 bytes). A fresh
// random nonce per seal keeps nonces unique under one key without any stored counter.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace s3gw::util {

inline constexpr std::size_t kAeadKeySize = 32;
inline constexpr std::size_t kAeadNonceSize = 12;
inline constexpr std::size_t kAeadTagSize = 16;

// Encrypts `plaintext` under `key` (32 bytes) with a random nonce; `aad` is authenticated but
// not stored, so open() must be given the same bytes. Throws std::invalid_argument on a key of
// the wrong size and std::runtime_error if OpenSSL fails.
std::string aead_seal(std::string_view key, std::string_view plaintext, std::string_view aad = {});

// As aead_seal() with a caller-chosen nonce (12 bytes). Only for known-answer tests: reusing a
// nonce under one key destroys GCM's security.
std::string aead_seal_with_nonce(std::string_view key, std::string_view nonce,
                                 std::string_view plaintext, std::string_view aad = {});

// The plaintext, or nullopt when `sealed` is too short, was altered in any byte, or was sealed
// under another key or other associated data. Never returns unauthenticated bytes.
std::optional<std::string> aead_open(std::string_view key, std::string_view sealed,
                                     std::string_view aad = {});

}  // namespace s3gw::util
