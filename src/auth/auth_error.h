#pragma once
// Why a request failed authentication, as a value. The S3 layer maps AuthErrc to its error table
// (README.md lists the mapping); auth itself knows nothing of HTTP responses.
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "s3/error.h"

namespace s3gw::auth {

enum class AuthErrc {
  kAccessDenied,                       // expired or not-yet-valid URL, no usable date, ...
  kInvalidAccessKeyId,                 // the key id is unknown or inactive
  kSignatureDoesNotMatch,              // well-formed, but the signature is wrong
  kAuthorizationHeaderMalformed,       // Authorization: AWS4-HMAC-SHA256 ... cannot be used
  kAuthorizationQueryParametersError,  // X-Amz-* presigned parameters cannot be used
  kRequestTimeTooSkewed,               // header auth more than 15 minutes off
  kInvalidArgument,                    // bad SigV2 header, two auth mechanisms, bad payload hash
  kNotImplemented,                     // the ECDSA (SigV4a) variants
};

// Stable name for logs and tests, e.g. "SignatureDoesNotMatch".
std::string_view auth_errc_name(AuthErrc code);

struct AuthError {
  AuthErrc code = AuthErrc::kAccessDenied;
  std::string message;
  // Extra detail S3 puts into some error bodies; empty when not applicable. Never a secret.
  std::string region;              // the region the gateway expects (<Region>)
  std::string access_key_id;       // <AWSAccessKeyId>
  std::string string_to_sign;      // <StringToSign> of a SignatureDoesNotMatch
  std::string canonical_request;   // <CanonicalRequest> of a SignatureDoesNotMatch
  std::string headers_not_signed;  // <HeadersNotSigned>: x-amz-* fields outside SignedHeaders

  AuthError() = default;
  AuthError(AuthErrc c, std::string msg) : code(c), message(std::move(msg)) {}
};

// The S3 error a client receives, with the detail elements S3 adds (<Region>,
// <AWSAccessKeyId>, <StringToSign>, <CanonicalRequest>, <HeadersNotSigned>).
s3::S3Error to_s3_error(const AuthError& error);

// A value or the reason there is none. std::expected is C++23; this is the part of it we need.
template <class T>
class AuthResult {
 public:
  AuthResult(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  AuthResult(AuthError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  AuthResult(AuthErrc code, std::string message) : v_(AuthError(code, std::move(message))) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const AuthError& error() const { return std::get<1>(v_); }
  AuthError& error() { return std::get<1>(v_); }

 private:
  std::variant<T, AuthError> v_;
};

}  // namespace s3gw::auth
