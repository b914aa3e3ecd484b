#pragma once
// One table of S3 errors: code -> AWS code string, HTTP status, default message
// (after MinIO's api-errors.go). Handlers return errors as values of S3Error.
#include <string>
#include <string_view>

namespace s3gw::s3 {

enum class ErrorCode {
  kAccessDenied,
  kBadDigest,
  kBucketAlreadyExists,
  kBucketAlreadyOwnedByYou,
  kBucketNotEmpty,
  kEntityTooLarge,
  kIncompleteBody,
  kInternalError,
  kInvalidArgument,
  kInvalidBucketName,
  kInvalidDigest,
  kInvalidLocationConstraint,
  kInvalidRange,
  kInvalidRequest,
  kKeyTooLongError,
  kMalformedXML,
  kMetadataTooLarge,
  kMethodNotAllowed,
  kMissingContentLength,
  kNoSuchBucket,
  kNoSuchKey,
  kNotImplemented,
  kNotModified,
  kPreconditionFailed,
  kRequestHeaderSectionTooLarge,
  kRequestTimeout,
  kServiceUnavailable,
  kSlowDown,
  kXAmzContentSHA256Mismatch,
  kInvalidToken,
  kMalformedTrailerError,
  kInvalidChunkSizeError,
  kMissingSecurityHeader,
  kSignatureDoesNotMatch,
  kInvalidAccessKeyId,
  kAuthorizationHeaderMalformed,
  kAuthorizationQueryParametersError,
  kRequestTimeTooSkewed,
  kNoSuchUpload,
  kInvalidPart,
  kInvalidPartOrder,
  kEntityTooSmall,
  kNoSuchVersion,
  kInvalidTag,
  kBadRequest,
  kNoSuchTagSet,
  kInvalidBucketState,
  kIllegalVersioningConfigurationException,
  kObjectLockConfigurationNotFoundError,
  kNoSuchObjectLockConfiguration,
  kInvalidRetentionPeriod,
  kCount,  // not an error: the number of codes above
};

struct ErrorInfo {
  std::string_view code;  // AWS error code, e.g. "NoSuchKey"
  int http_status;
  std::string_view message;  // default message
};

const ErrorInfo& error_info(ErrorCode code);

// An S3 error as a value: what goes into the XML error body.
struct S3Error {
  ErrorCode code = ErrorCode::kInternalError;
  std::string message;   // empty: the table's default message
  std::string resource;  // empty: the request path
  // Extra XML elements some errors carry (e.g. <BucketName>, <Key>), already escaped.
  std::string extra_xml;

  S3Error() = default;
  S3Error(ErrorCode c)
      : code(c) {}  // NOLINT(google-explicit-constructor): reads well at call sites
  S3Error(ErrorCode c, std::string msg) : code(c), message(std::move(msg)) {}

  int http_status() const { return error_info(code).http_status; }
  std::string_view aws_code() const { return error_info(code).code; }
  std::string_view effective_message() const {
    return message.empty() ? error_info(code).message : std::string_view(message);
  }
};

// The S3 XML error document.
std::string error_xml(const S3Error& err, std::string_view resource, std::string_view request_id);

}  // namespace s3gw::s3
