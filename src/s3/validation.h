#pragma once
// Syntax rules for the names a request carries: bucket names, object keys, customer ids.
// A check answers with a Validation: ok, or the S3 error code and a sentence saying which
// rule the input broke (it becomes the <Message> of the error response).
#include <string>
#include <string_view>
#include <utility>

#include "s3/error.h"

namespace s3gw::s3 {

struct Validation {
  bool ok = true;
  ErrorCode code = ErrorCode::kInvalidArgument;  // meaningful only when !ok
  std::string reason;                            // e.g. "bucket name must not contain '..'"

  static Validation valid() { return {}; }
  static Validation invalid(ErrorCode c, std::string why) { return {false, c, std::move(why)}; }

  explicit operator bool() const { return ok; }
  S3Error error() const { return S3Error(code, reason); }
};

// The AWS rules for general purpose buckets (kInvalidBucketName): 3-63 characters of
// [a-z0-9.-], first and last a letter or digit, no "..", not an IPv4 address such as
// 192.168.5.4, none of the reserved prefixes (xn--, sthree-, amzn-s3-demo-) or suffixes
// (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3).
Validation validate_bucket_name(std::string_view name);

// Object keys: 1-1024 bytes (longer: kKeyTooLongError), well-formed UTF-8 (no overlong forms,
// no surrogates, nothing above U+10FFFF) and no NUL (kInvalidArgument).
//
// Stricter than AWS on purpose: a key in which a '/'-separated segment is exactly "." or ".."
// ("./a", "a/../b", "..") is rejected with kInvalidArgument. Clients and tools that treat keys
// as paths (rclone, s3fs, SDKs that normalize URLs, HTTP proxies, RFC 3986 dot-segment
// removal) rewrite such paths, so the object would become unreachable or alias another key.
// Dots inside a segment are fine: "a..b", ".hidden", "...", "a/.b/c".
Validation validate_object_key(std::string_view key);

// The X-Customer-ID header: 1-64 characters of [A-Za-z0-9_.-] (kInvalidArgument).
Validation validate_customer_id(std::string_view id);

// RFC 3629 UTF-8: rejects overlong encodings, surrogates (U+D800-DFFF), code points above
// U+10FFFF and truncated sequences.
bool is_valid_utf8(std::string_view text);

}  // namespace s3gw::s3
