#pragma once
#include <string>
#include <string_view>

namespace s3gw::util {

// Raw HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);
// Raw SHA-256.
std::string sha256(std::string_view data);
// Equality that takes the same time wherever the inputs differ (secrets, signatures, tokens).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace s3gw::util
