#pragma once
// Hex and base64 codecs (base64 through OpenSSL's EVP encoder).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace s3gw::util {

std::string hex_encode(std::span<const std::uint8_t> bytes);
std::string hex_encode(std::string_view bytes);
std::optional<std::string> hex_decode(std::string_view hex);

std::string base64_encode(std::span<const std::uint8_t> bytes);
std::string base64_encode(std::string_view bytes);
// Strict: rejects characters outside the alphabet and bad padding.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace s3gw::util
