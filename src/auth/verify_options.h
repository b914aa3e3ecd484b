#pragma once
// What the verifiers need from outside: the secret of a key, and the gateway's policy.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace s3gw::auth {

class SigningKeyCache;

// The secret of an access key id; nullopt when the key is unknown or inactive (both answer
// InvalidAccessKeyId, so a caller cannot tell them apart).
using SecretLookup = std::function<std::optional<std::string>(std::string_view access_key_id)>;

struct VerifyOptions {
  // The credential scope's service must be this.
  std::string service = "s3";
  // Regions a credential scope may name; empty accepts any. The first is what error bodies
  // report as the expected <Region>.
  std::vector<std::string> accepted_regions = {};
  // Header auth may be this far from the gateway's clock either way (S3: 15 minutes); a
  // presigned URL may not start later than this in the future.
  std::chrono::seconds max_skew = std::chrono::minutes(15);
  // Optional: derived signing keys are cached here (shared by all requests of a process).
  SigningKeyCache* key_cache = nullptr;
};

}  // namespace s3gw::auth
