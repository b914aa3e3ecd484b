#include "util/access_key.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <utility>

#include "util/crypto.h"
#include "util/encoding.h"

namespace s3gw::util {

namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// Codes of the regions this deployment knows; keep them unique and never change one.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kRegionCodes = {{
    {"fi-hel", "FH"},
    {"de-fra", "DF"},
    {"de-nue", "DN"},
    {"se-sto", "SS"},
    {"nl-ams", "NA"},
    {"fr-par", "FP"},
    {"ee-tll", "ET"},
    {"us-east-1", "UE"},
}};

bool is_base32(char c) {
  return kBase32.find(c) != std::string_view::npos;
}

char upper_letter(char c) {
  if (c >= 'a' && c <= 'z') return static_cast<char>(c - 'a' + 'A');
  if (c >= 'A' && c <= 'Z') return c;
  return '\0';
}

}  // namespace

std::string region_code(std::string_view region) {
  for (const auto& [name, code] : kRegionCodes) {
    if (name == region) return std::string(code);
  }
  const auto dash = region.find('-');
  if (dash != std::string_view::npos && dash > 0 && dash + 1 < region.size()) {
    const char a = upper_letter(region[0]);
    const char b = upper_letter(region[dash + 1]);
    if (a != '\0' && b != '\0') return std::string{a, b};
  }
  const std::string digest = sha256(region);
  const auto d0 = static_cast<unsigned char>(digest[0]);
  const auto d1 = static_cast<unsigned char>(digest[1]);
  return std::string{kBase32[d0 & 31u], kBase32[d1 & 31u]};
}

std::string mint_access_key_id(std::string_view region) {
  std::string id(kAccessKeyIdPrefix);
  id += region_code(region);
  std::array<unsigned char, kAccessKeyIdLength> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  // 256 is a multiple of 32, so taking the low five bits of a random byte is unbiased.
  for (std::size_t i = id.size(); i < kAccessKeyIdLength; ++i) id += kBase32[random[i] & 31u];
  return id;
}

std::optional<std::string> region_code_of(std::string_view access_key_id) {
  if (access_key_id.size() != kAccessKeyIdLength ||
      !access_key_id.starts_with(kAccessKeyIdPrefix)) {
    return std::nullopt;
  }
  for (char c : access_key_id) {
    if (!is_base32(c)) return std::nullopt;
  }
  return std::string(access_key_id.substr(kRegionCodeOffset, kRegionCodeLength));
}

std::string mint_secret_access_key() {
  std::array<unsigned char, kSecretAccessKeyLength * 3 / 4> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  std::string secret = base64_encode(std::span<const std::uint8_t>(random.data(), random.size()));
  OPENSSL_cleanse(random.data(), random.size());
  return secret;
}

}  // namespace s3gw::util
