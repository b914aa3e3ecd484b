#pragma once
#include <cstddef>
#include <string>

namespace s3gw::util {

// Cryptographically random bytes as lowercase hex (2*bytes characters). Used for request ids,
// version ids and blob keys, which must never repeat.
std::string random_hex(std::size_t bytes);

}  // namespace s3gw::util
