#include "s3/error.h"

#include <array>

#include "s3/xml_writer.h"

namespace s3gw::s3 {
namespace {

struct Row {
  ErrorCode code;
  ErrorInfo info;
};

// Keep in the enum's order: error_info() indexes by the enum value and a static_assert checks it.
constexpr std::array kTable = {
    Row{ErrorCode::kAccessDenied, {"AccessDenied", 403, "Access Denied"}},
    Row{ErrorCode::kBadDigest,
        {"BadDigest", 400,
         "The Content-MD5 or checksum you specified did not match what we received."}},
    Row{ErrorCode::kBucketAlreadyExists,
        {"BucketAlreadyExists", 409,
         "The requested bucket name is not available. Please select a different name and try "
         "again."}},
    Row{ErrorCode::kBucketAlreadyOwnedByYou,
        {"BucketAlreadyOwnedByYou", 409,
         "Your previous request to create the named bucket succeeded and you already own it."}},
    Row{ErrorCode::kBucketNotEmpty,
        {"BucketNotEmpty", 409, "The bucket you tried to delete is not empty"}},
    Row{ErrorCode::kEntityTooLarge,
        {"EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size."}},
    Row{ErrorCode::kIncompleteBody,
        {"IncompleteBody", 400,
         "You did not provide the number of bytes specified by the Content-Length HTTP header."}},
    Row{ErrorCode::kInternalError,
        {"InternalError", 500, "We encountered an internal error. Please try again."}},
    Row{ErrorCode::kInvalidArgument, {"InvalidArgument", 400, "Invalid Argument"}},
    Row{ErrorCode::kInvalidBucketName,
        {"InvalidBucketName", 400, "The specified bucket is not valid."}},
    Row{ErrorCode::kInvalidDigest,
        {"InvalidDigest", 400, "The Content-MD5 you specified is not valid."}},
    Row{ErrorCode::kInvalidLocationConstraint,
        {"InvalidLocationConstraint", 400, "The specified location constraint is not valid."}},
    Row{ErrorCode::kInvalidRange, {"InvalidRange", 416, "The requested range is not satisfiable"}},
    Row{ErrorCode::kInvalidRequest, {"InvalidRequest", 400, "Invalid Request"}},
    Row{ErrorCode::kKeyTooLongError, {"KeyTooLongError", 400, "Your key is too long"}},
    Row{ErrorCode::kMalformedXML,
        {"MalformedXML", 400,
         "The XML you provided was not well-formed or did not validate against our published "
         "schema."}},
    Row{ErrorCode::kMetadataTooLarge,
        {"MetadataTooLarge", 400,
         "Your metadata headers exceed the maximum allowed metadata size."}},
    Row{ErrorCode::kMethodNotAllowed,
        {"MethodNotAllowed", 405, "The specified method is not allowed against this resource."}},
    Row{ErrorCode::kMissingContentLength,
        {"MissingContentLength", 411, "You must provide the Content-Length HTTP header."}},
    Row{ErrorCode::kNoSuchBucket, {"NoSuchBucket", 404, "The specified bucket does not exist"}},
    Row{ErrorCode::kNoSuchKey, {"NoSuchKey", 404, "The specified key does not exist."}},
    Row{ErrorCode::kNotImplemented,
        {"NotImplemented", 501,
         "A header or query you provided implies functionality that is not implemented."}},
    Row{ErrorCode::kNotModified, {"NotModified", 304, "Not Modified"}},
    Row{ErrorCode::kPreconditionFailed,
        {"PreconditionFailed", 412,
         "At least one of the pre-conditions you specified did not hold"}},
    Row{ErrorCode::kRequestHeaderSectionTooLarge,
        {"RequestHeaderSectionTooLarge", 400,
         "Your request header section exceeds the maximum allowed size."}},
    Row{ErrorCode::kRequestTimeout,
        {"RequestTimeout", 400,
         "Your socket connection to the server was not read from or written to within the "
         "timeout period."}},
    Row{ErrorCode::kServiceUnavailable,
        {"ServiceUnavailable", 503, "Service is unable to handle request."}},
    Row{ErrorCode::kSlowDown, {"SlowDown", 503, "Please reduce your request rate."}},
    Row{ErrorCode::kXAmzContentSHA256Mismatch,
        {"XAmzContentSHA256Mismatch", 400,
         "The provided 'x-amz-content-sha256' header does not match what was computed."}},
    Row{ErrorCode::kInvalidToken,
        {"InvalidToken", 400, "The provided token is malformed or otherwise invalid."}},
    Row{ErrorCode::kMalformedTrailerError,
        {"MalformedTrailerError", 400,
         "The request contained trailing data that was not well-formed or did not conform to "
         "our published schema."}},
    Row{ErrorCode::kInvalidChunkSizeError,
        {"InvalidChunkSizeError", 403,
         "Only the last chunk is allowed to have a size less than 8192 bytes"}},
    Row{ErrorCode::kMissingSecurityHeader,
        {"MissingSecurityHeader", 400, "Your request is missing a required header."}},
    Row{ErrorCode::kSignatureDoesNotMatch,
        {"SignatureDoesNotMatch", 403,
         "The request signature we calculated does not match the signature you provided. Check "
         "your key and signing method."}},
    Row{ErrorCode::kInvalidAccessKeyId,
        {"InvalidAccessKeyId", 403,
         "The AWS Access Key Id you provided does not exist in our records."}},
    Row{ErrorCode::kAuthorizationHeaderMalformed,
        {"AuthorizationHeaderMalformed", 400, "The authorization header is malformed."}},
    Row{ErrorCode::kAuthorizationQueryParametersError,
        {"AuthorizationQueryParametersError", 400,
         "Error parsing the X-Amz-Credential parameter."}},
    Row{ErrorCode::kRequestTimeTooSkewed,
        {"RequestTimeTooSkewed", 403,
         "The difference between the request time and the current time is too large."}},
    Row{ErrorCode::kNoSuchUpload,
        {"NoSuchUpload", 404,
         "The specified multipart upload does not exist. The upload ID might be invalid, or the "
         "multipart upload might have been aborted or completed."}},
    Row{ErrorCode::kInvalidPart,
        {"InvalidPart", 400,
         "One or more of the specified parts could not be found. The part might not have been "
         "uploaded, or the specified ETag might not have matched the uploaded part's ETag."}},
    Row{ErrorCode::kInvalidPartOrder,
        {"InvalidPartOrder", 400,
         "The list of parts was not in ascending order. The parts list must be specified in "
         "order by part number."}},
    Row{ErrorCode::kEntityTooSmall,
        {"EntityTooSmall", 400,
         "Your proposed upload is smaller than the minimum allowed object size."}},
    Row{ErrorCode::kNoSuchVersion,
        {"NoSuchVersion", 404,
         "The version ID specified in the request does not match an existing version."}},
    Row{ErrorCode::kInvalidTag, {"InvalidTag", 400, "The tag provided was not a valid tag."}},
    Row{ErrorCode::kBadRequest, {"BadRequest", 400, "Bad Request"}},
    Row{ErrorCode::kNoSuchTagSet, {"NoSuchTagSet", 404, "The TagSet does not exist"}},
    Row{ErrorCode::kInvalidBucketState,
        {"InvalidBucketState", 409,
         "The request is not valid with the current state of the bucket."}},
    Row{ErrorCode::kIllegalVersioningConfigurationException,
        {"IllegalVersioningConfigurationException", 400,
         "The Versioning element must be specified"}},
    Row{ErrorCode::kObjectLockConfigurationNotFoundError,
        {"ObjectLockConfigurationNotFoundError", 404,
         "Object Lock configuration does not exist for this bucket"}},
    Row{ErrorCode::kNoSuchObjectLockConfiguration,
        {"NoSuchObjectLockConfiguration", 404,
         "The specified object does not have a ObjectLock configuration"}},
    Row{ErrorCode::kInvalidRetentionPeriod,
        {"InvalidRetentionPeriod", 400,
         "The retention period must be a positive integer of days or years."}},
};

constexpr bool table_in_enum_order() {
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    if (static_cast<std::size_t>(kTable[i].code) != i) return false;
  }
  return true;
}
static_assert(table_in_enum_order(), "kTable must list ErrorCode values in declaration order");
static_assert(kTable.size() == static_cast<std::size_t>(ErrorCode::kCount),
              "every ErrorCode needs a row in kTable");

}  // namespace

const ErrorInfo& error_info(ErrorCode code) {
  return kTable[static_cast<std::size_t>(code)].info;
}

std::string error_xml(const S3Error& err, std::string_view resource, std::string_view request_id) {
  XmlWriter w;
  w.open("Error");
  w.element("Code", err.aws_code());
  w.element("Message", err.effective_message());
  w.element("Resource", err.resource.empty() ? resource : std::string_view(err.resource));
  w.element("RequestId", request_id);
  w.raw(err.extra_xml);
  w.close("Error");
  return w.take();
}

}  // namespace s3gw::s3
