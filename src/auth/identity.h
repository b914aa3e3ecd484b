#pragma once
// Who a verified request comes from, and what its body still has to prove.
#include <string>

#include "auth/chunk_signature.h"
#include "auth/payload_mode.h"
#include "auth/sigv4.h"
#include "util/time.h"

namespace s3gw::auth {

enum class AuthMethod {
  kNone,  // anonymous: no Authorization header, no signature parameters
  kSigV4Header,
  kSigV4Presigned,
  kSigV2Header,
  kSigV2Presigned,
};

struct Identity {
  AuthMethod method = AuthMethod::kNone;
  std::string access_key_id;
  CredentialScope scope;      // SigV4 only
  std::string session_token;  // X-Amz-Security-Token as sent, if any (not validated here)
  util::TimePoint request_time{};

  // SigV4: what the signature says about the body. A kSha256 hash must still be compared with
  // the body, and a streaming body's chunks with `streaming`, before anything becomes visible.
  // SigV2 signs no body: kUnsigned.
  PayloadMode payload_mode = PayloadMode::kUnsigned;
  std::string payload_hash;
  StreamingSigningContext streaming;  // SigV4 only
};

}  // namespace s3gw::auth
