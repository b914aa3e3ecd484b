#pragma once
// Minting of S3 access key ids and secret access keys.
//
// An access key id is 20 characters of A-Z and 2-7 (the RFC 4648 base32 alphabet, as AWS ids
// look): "S3G", then the 2-character code of the home region at a fixed position (characters 4
// and 5, indices 3..4), then 15 random characters (75 bits). The global gateway reads the
// region code from the key id in a SigV4 header or presigned URL to route a request to its
// regional gateway without any lookup of personal data (DESIGN.md §1), so the position and
// the codes of existing regions must never change.
#include <optional>
#include <string>
#include <string_view>

namespace s3gw::util {

inline constexpr std::size_t kAccessKeyIdLength = 20;
inline constexpr std::string_view kAccessKeyIdPrefix = "S3G";
inline constexpr std::size_t kRegionCodeOffset = 3;
inline constexpr std::size_t kRegionCodeLength = 2;
inline constexpr std::size_t kSecretAccessKeyLength = 40;

// The 2-character code of a region: from a fixed table for known regions (fi-hel → "FH",
// de-fra → "DF", ...); otherwise the first letters of the first two dash-separated parts when
// both are letters, else two base32 characters of the name's SHA-256. Only the table
// guarantees distinct codes: add a region there before it goes live.
std::string region_code(std::string_view region);

// A new random access key id for `region`.
std::string mint_access_key_id(std::string_view region);

// The region code in `access_key_id`, or nullopt when the id is not one this scheme minted.
std::optional<std::string> region_code_of(std::string_view access_key_id);

// A new secret access key: 40 characters of the base64 alphabet (30 random bytes), like AWS.
std::string mint_secret_access_key();

}  // namespace s3gw::util
