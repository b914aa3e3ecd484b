#pragma once
// Reading what a SigV4 request claims (who, when, which headers, which signature) from its
// Authorization header or its presigned query parameters, before any secret is involved.
// Malformed input is an AuthError, never an exception or a crash.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "auth/auth_error.h"
#include "auth/payload_mode.h"
#include "auth/request_view.h"
#include "auth/sigv4.h"
#include "auth/verify_options.h"
#include "util/time.h"

namespace s3gw::auth {

// Longest a presigned URL may live: 7 days.
inline constexpr std::chrono::seconds kMaxPresignedExpiry{604800};

struct Credential {
  std::string access_key_id;
  CredentialScope scope;
};

// "AKID/20130524/us-east-1/s3/aws4_request". The message of an error says what is wrong; its
// code is kAuthorizationHeaderMalformed (callers parsing a query remap it).
AuthResult<Credential> parse_credential(std::string_view text);

struct AuthorizationV4 {
  Credential credential;
  std::vector<std::string> signed_headers;  // lower-cased, in the order sent
  std::string signature;
};

// "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=a;b, Signature=...". Spaces after the
// algorithm and after each comma are accepted; anything else unexpected (a missing, repeated or
// unknown component, an empty value, a space inside a value) is kAuthorizationHeaderMalformed.
AuthResult<AuthorizationV4> parse_authorization_v4(std::string_view header_value);

struct SigV4Request {
  bool presigned = false;
  Credential credential;
  std::vector<std::string> signed_headers;
  std::string signature;
  std::string amz_date;  // the timestamp as it goes into the string to sign
  util::TimePoint request_time{};
  std::chrono::seconds expires{0};  // presigned only
  std::string session_token;
  std::string payload_hash;  // the canonical request's last line
  PayloadMode payload_mode = PayloadMode::kUnsigned;
};

// Everything a SigV4 request claims, checked against `options` (service, accepted regions)
// but not yet against a clock or a secret.
AuthResult<SigV4Request> parse_sigv4_request(const RequestView& view, bool presigned,
                                             const VerifyOptions& options);

}  // namespace s3gw::auth
