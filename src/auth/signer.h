#pragma once
// Signing outgoing requests (the S3 storage provider's client). An interface so the provider
// can be tested with a fake and other schemes added without touching it.
#include <chrono>
#include <string>

#include "auth/chunk_signature.h"
#include "auth/header_list.h"
#include "util/time.h"

namespace s3gw::auth {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty: none
};

struct SignableRequest {
  std::string method;
  std::string path;    // percent-encoded, exactly as it goes on the wire
  std::string query;   // percent-encoded, without '?'
  HeaderList headers;  // must hold Host, as it goes on the wire (with a non-default port)
  // Hex SHA-256 of the body, UNSIGNED-PAYLOAD, or a STREAMING-* value for aws-chunked bodies.
  std::string payload_hash;
};

struct SigningResult {
  std::string signature;
  std::string canonical_request;  // for debugging a SignatureDoesNotMatch from the far end
  std::string string_to_sign;
  StreamingSigningContext streaming;  // an aws-chunked body's chunks are signed from here
};

class Signer {
 public:
  virtual ~Signer() = default;

  // Header auth: sets X-Amz-Date, X-Amz-Content-SHA256, X-Amz-Security-Token (with a session
  // token) and Authorization on request.headers.
  virtual SigningResult sign(SignableRequest& request, util::TimePoint now) const = 0;

  // Presigned URL: appends the X-Amz-* parameters and X-Amz-Signature to request.query.
  // payload_hash is normally UNSIGNED-PAYLOAD, as a URL cannot know its body.
  virtual SigningResult presign(SignableRequest& request, std::chrono::seconds expires,
                                util::TimePoint now) const = 0;
};

}  // namespace s3gw::auth
