#include "auth/sigv4_verifier.h"

#include "auth/canonical_request.h"
#include "auth/signing_key_cache.h"
#include "util/crypto.h"

namespace s3gw::auth {

std::optional<AuthError> check_sigv4_time(const SigV4Request& request, util::TimePoint now,
                                          const VerifyOptions& options) {
  const util::TimePoint t = request.request_time;
  if (!request.presigned) {
    if (t > now + options.max_skew || t < now - options.max_skew) {
      return AuthError(AuthErrc::kRequestTimeTooSkewed,
                       "The difference between the request time and the current time is too "
                       "large.");
    }
    return std::nullopt;
  }
  if (t > now + options.max_skew) {
    return AuthError(AuthErrc::kAccessDenied, "Request is not valid yet");
  }
  if (now > t + request.expires) {
    return AuthError(AuthErrc::kAccessDenied, "Request has expired");
  }
  return std::nullopt;
}

AuthResult<Identity> verify_sigv4_signature(const RequestView& view, const SigV4Request& request,
                                            std::string_view secret, const VerifyOptions& options) {
  const CredentialScope& scope = request.credential.scope;
  const std::string canonical = build_canonical_request({
      .method = view.method,
      .raw_path = view.raw_path,
      .raw_query = view.raw_query,
      .headers = view.headers,
      .signed_headers = request.signed_headers,
      .payload_hash = request.payload_hash,
      .presigned = request.presigned,
  });
  const std::string scope_text = scope.to_string();
  std::string sts = string_to_sign(request.amz_date, scope_text, canonical);
  std::string signing_key =
      options.key_cache ? options.key_cache->get(secret, scope) : derive_signing_key(secret, scope);
  std::string expected = compute_signature(signing_key, sts);
  if (!util::constant_time_equal(expected, request.signature)) {
    AuthError err(AuthErrc::kSignatureDoesNotMatch,
                  "The request signature we calculated does not match the signature you "
                  "provided. Check your key and signing method.");
    err.access_key_id = request.credential.access_key_id;
    err.string_to_sign = std::move(sts);
    err.canonical_request = canonical;
    return err;
  }
  Identity id;
  id.method = request.presigned ? AuthMethod::kSigV4Presigned : AuthMethod::kSigV4Header;
  id.access_key_id = request.credential.access_key_id;
  id.scope = scope;
  id.session_token = request.session_token;
  id.request_time = request.request_time;
  id.payload_mode = request.payload_mode;
  id.payload_hash = request.payload_hash;
  id.streaming = StreamingSigningContext{
      .signing_key = std::move(signing_key),
      .amz_date = request.amz_date,
      .scope = scope_text,
      .seed_signature = std::move(expected),
  };
  return id;
}

AuthResult<Identity> verify_sigv4(const RequestView& view, bool presigned,
                                  const SecretLookup& secrets, util::TimePoint now,
                                  const VerifyOptions& options) {
  auto request = parse_sigv4_request(view, presigned, options);
  if (!request) {
    return request.error();
  }
  // The clock before the lookup: a stale or replayed request costs no credential-store query.
  if (auto err = check_sigv4_time(request.value(), now, options)) {
    return *err;
  }
  const auto secret = secrets(request->credential.access_key_id);
  if (!secret) {
    AuthError err(AuthErrc::kInvalidAccessKeyId,
                  "The AWS Access Key Id you provided does not exist in our records.");
    err.access_key_id = request->credential.access_key_id;
    return err;
  }
  return verify_sigv4_signature(view, request.value(), *secret, options);
}

}  // namespace s3gw::auth
