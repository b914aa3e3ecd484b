#pragma once
// The master key that seals credential secrets at rest (DESIGN.md invariant 7). It comes from
// S3GW_MASTER_KEY (64 hex characters) or from the file named by S3GW_MASTER_KEY_FILE (the same
// 64 hex characters, surrounding whitespace ignored). The key is never logged, and error
// messages never quote it.
#include <optional>
#include <string>

namespace s3gw::util {

// The 32-byte key, or nullopt when neither variable is set. Throws std::runtime_error with a
// message fit for an operator when both are set, the value is not 64 hex characters, or the
// file cannot be read or is accessible to group or others (a key readable by every local user
// protects nothing).
std::optional<std::string> load_master_key(const std::optional<std::string>& key_hex,
                                           const std::optional<std::string>& key_file);

// load_master_key() with S3GW_MASTER_KEY and S3GW_MASTER_KEY_FILE from the environment.
std::optional<std::string> load_master_key_from_env();

}  // namespace s3gw::util
