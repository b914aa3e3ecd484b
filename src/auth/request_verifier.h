#pragma once
// The one call the request path makes: find which authentication a request uses and verify it.
#include "auth/auth_error.h"
#include "auth/identity.h"
#include "auth/request_view.h"
#include "auth/verify_options.h"
#include "util/time.h"

namespace s3gw::auth {

// kNone when the request carries no authentication at all (the caller decides whether
// anonymous access is allowed). Errors: two mechanisms at once or an unknown Authorization
// scheme (InvalidArgument), SigV4a/ECDSA (NotImplemented).
AuthResult<AuthMethod> detect_auth_method(const RequestView& view);

// Dispatches to verify_sigv4 / verify_sigv2. An anonymous request is AccessDenied here.
AuthResult<Identity> verify_request(const RequestView& view, const SecretLookup& secrets,
                                    util::TimePoint now, const VerifyOptions& options);

}  // namespace s3gw::auth
