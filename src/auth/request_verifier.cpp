#include "auth/request_verifier.h"

#include "auth/query_string.h"
#include "auth/sigv2.h"
#include "auth/sigv4.h"
#include "auth/sigv4_verifier.h"

namespace s3gw::auth {
namespace {

bool has_any_param(const std::vector<QueryParam>& params,
                   std::initializer_list<std::string_view> keys) {
  for (const auto& p : params) {
    auto k = decode_query_component(p.raw_key);
    if (!k) {
      continue;
    }
    for (std::string_view key : keys) {
      if (*k == key) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

AuthResult<AuthMethod> detect_auth_method(const RequestView& view) {
  const auto auths = view.headers.all("authorization");
  const auto params = split_query(view.raw_query);
  const bool v4_query =
      has_any_param(params, {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature"});
  const bool v2_query = has_any_param(params, {"AWSAccessKeyId", "Signature"});
  if (static_cast<int>(!auths.empty()) + static_cast<int>(v4_query) + static_cast<int>(v2_query) >
      1) {
    return AuthError(AuthErrc::kInvalidArgument,
                     "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                     "Signature query string parameter or the Authorization header should be "
                     "specified");
  }
  if (!auths.empty()) {
    std::string_view v = auths.front();
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) {
      v.remove_prefix(1);
    }
    if (v.starts_with(kSigV4Algorithm)) {
      return AuthMethod::kSigV4Header;
    }
    if (v.starts_with(kSigV4EcdsaAlgorithm)) {
      return AuthError(AuthErrc::kNotImplemented,
                       "SigV4a (AWS4-ECDSA-P256-SHA256) is not supported");
    }
    if (v.starts_with("AWS ")) {
      return AuthMethod::kSigV2Header;
    }
    return AuthError(AuthErrc::kInvalidArgument, "Unsupported Authorization Type");
  }
  if (v4_query) {
    return AuthMethod::kSigV4Presigned;
  }
  if (v2_query) {
    return AuthMethod::kSigV2Presigned;
  }
  return AuthMethod::kNone;
}

AuthResult<Identity> verify_request(const RequestView& view, const SecretLookup& secrets,
                                    util::TimePoint now, const VerifyOptions& options) {
  auto method = detect_auth_method(view);
  if (!method) {
    return method.error();
  }
  switch (method.value()) {
    case AuthMethod::kSigV4Header:
      return verify_sigv4(view, false, secrets, now, options);
    case AuthMethod::kSigV4Presigned:
      return verify_sigv4(view, true, secrets, now, options);
    case AuthMethod::kSigV2Header:
      return verify_sigv2(view, false, secrets, now, options);
    case AuthMethod::kSigV2Presigned:
      return verify_sigv2(view, true, secrets, now, options);
    case AuthMethod::kNone:
      break;
  }
  return AuthError(AuthErrc::kAccessDenied, "Access Denied");
}

}  // namespace s3gw::auth
