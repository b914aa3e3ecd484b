#pragma once
// Verifying a SigV4 request: header auth and presigned URLs. The clock is a parameter, never
// read here, so tests (and replays of logged requests) are deterministic.
//
// Two entry points: verify_sigv4() does everything given a secret lookup; the three phases
// (parse_sigv4_request, check_sigv4_time, verify_sigv4_signature) let an asynchronous caller
// fetch the secret between parsing and checking without blocking.
#include <optional>
#include <string_view>

#include "auth/auth_error.h"
#include "auth/identity.h"
#include "auth/request_view.h"
#include "auth/sigv4_request.h"
#include "auth/verify_options.h"
#include "util/time.h"

namespace s3gw::auth {

// Header auth: RequestTimeTooSkewed beyond options.max_skew either way. Presigned: AccessDenied
// "Request is not valid yet" when X-Amz-Date is beyond max_skew in the future, "Request has
// expired" once X-Amz-Date + X-Amz-Expires has passed.
std::optional<AuthError> check_sigv4_time(const SigV4Request& request, util::TimePoint now,
                                          const VerifyOptions& options);

// Rebuilds the canonical request and compares signatures in constant time. A mismatch is
// SignatureDoesNotMatch carrying the string to sign and canonical request (as S3 reports them).
AuthResult<Identity> verify_sigv4_signature(const RequestView& view, const SigV4Request& request,
                                            std::string_view secret, const VerifyOptions& options);

// parse -> time -> secret lookup (InvalidAccessKeyId when absent) -> signature.
AuthResult<Identity> verify_sigv4(const RequestView& view, bool presigned,
                                  const SecretLookup& secrets, util::TimePoint now,
                                  const VerifyOptions& options);

}  // namespace s3gw::auth
