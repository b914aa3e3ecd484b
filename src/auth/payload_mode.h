#pragma once
// How a SigV4 request vouches for its body: the value of x-amz-content-sha256 (or of the
// presigned X-Amz-Content-Sha256 parameter), which is also the canonical request's last line.
#include <string_view>

#include "auth/auth_error.h"

namespace s3gw::auth {

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kStreamingSignedPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view kStreamingSignedPayloadTrailer =
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
inline constexpr std::string_view kStreamingUnsignedPayloadTrailer =
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

enum class PayloadMode {
  kSha256,                    // the body's hex SHA-256: verify it before anything is visible
  kUnsigned,                  // UNSIGNED-PAYLOAD
  kStreamingSigned,           // aws-chunked, each chunk signed
  kStreamingSignedTrailer,    // aws-chunked, chunks and trailer signed
  kStreamingUnsignedTrailer,  // aws-chunked, unsigned, trailing checksum
};

// kNotImplemented for the ECDSA streaming variants, kInvalidArgument for anything else unknown.
AuthResult<PayloadMode> parse_payload_mode(std::string_view value);

}  // namespace s3gw::auth
