#include "auth/payload_mode.h"

#include <string>

namespace s3gw::auth {
namespace {

bool is_hex64(std::string_view v) {
  if (v.size() != 64) {
    return false;
  }
  for (char c : v) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) {
      return false;
    }
  }
  return true;
}

}  // namespace

AuthResult<PayloadMode> parse_payload_mode(std::string_view value) {
  if (is_hex64(value)) {
    return PayloadMode::kSha256;
  }
  if (value == kUnsignedPayload) {
    return PayloadMode::kUnsigned;
  }
  if (value == kStreamingSignedPayload) {
    return PayloadMode::kStreamingSigned;
  }
  if (value == kStreamingSignedPayloadTrailer) {
    return PayloadMode::kStreamingSignedTrailer;
  }
  if (value == kStreamingUnsignedPayloadTrailer) {
    return PayloadMode::kStreamingUnsignedTrailer;
  }
  if (value == "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD" ||
      value == "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER") {
    return AuthError(AuthErrc::kNotImplemented,
                     "SigV4a (ECDSA) streaming payloads are not supported: " + std::string(value));
  }
  return AuthError(AuthErrc::kInvalidArgument,
                   "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                   "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
                   "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
                   "STREAMING-UNSIGNED-PAYLOAD-TRAILER or a valid sha256 value.");
}

}  // namespace s3gw::auth
