#pragma once
// AWS Signature Version 2 (HMAC-SHA1), still produced by boto3's generate_presigned_url and
// `aws s3 presign` for us-east-1, and by older tools (s3cmd): header auth
// "Authorization: AWS AKID:base64(signature)" and query auth AWSAccessKeyId/Signature/Expires.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html
//
// The string to sign is
//   METHOD \n Content-MD5 \n Content-Type \n Date-or-Expires \n
//   canonicalized x-amz-* headers (each "name:v1,v2\n", sorted) + canonicalized resource
// where the resource is the path as sent (with "/bucket" in front for virtual-hosted style) and
// the S3 sub-resources of the query, sorted, values decoded.
#include <string>
#include <string_view>

#include "auth/auth_error.h"
#include "auth/identity.h"
#include "auth/request_view.h"
#include "auth/verify_options.h"
#include "util/time.h"

namespace s3gw::auth {

// Query parameters that are part of the signed resource (botocore's HmacV1Auth list plus every
// response-* override).
bool is_sigv2_subresource(std::string_view key);

std::string sigv2_canonical_resource(const RequestView& view);

// With `presigned`, x-amz-*, Content-Type and Content-MD5 also come from query parameters
// when the request lacks the header: botocore moves them into the URL of a presigned request
// (x-amz-security-token, a ContentType given to generate_presigned_url), and the client that
// uses the URL later does not send them again.
std::string sigv2_string_to_sign(const RequestView& view, bool presigned,
                                 std::string_view date_or_expires);

// base64(HMAC-SHA1(secret, string_to_sign)).
std::string sigv2_signature(std::string_view secret, std::string_view string_to_sign);

// Header auth: the Date (or x-amz-date) must be within options.max_skew of `now`, else
// RequestTimeTooSkewed. Query auth: AccessDenied "Request has expired" once Expires passed.
AuthResult<Identity> verify_sigv2(const RequestView& view, bool presigned,
                                  const SecretLookup& secrets, util::TimePoint now,
                                  const VerifyOptions& options);

}  // namespace s3gw::auth
