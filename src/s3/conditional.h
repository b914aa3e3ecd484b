#pragma once
// Conditional requests (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since)
// evaluated against an existing object, in the order of RFC 9110 §13.2.2, which is also what
// S3 documents:
//   1. If-Match present: false -> 412. Otherwise 2. If-Unmodified-Since false -> 412.
//      (So If-Match true + If-Unmodified-Since false proceeds.)
//   3. If-None-Match present: false -> 304 for reads, 412 for writes. Otherwise
//   4. (reads only) If-Modified-Since false -> 304.
//      (So If-None-Match false + If-Modified-Since true is 304.)
//   5. proceed.
// An unparseable date ignores that header, as AWS does; so does an empty header value.
// A missing object is the caller's business (S3 answers 404 whatever the conditions).
#include <chrono>
#include <optional>
#include <string_view>

namespace s3gw::s3 {

struct ConditionalHeaders {
  std::optional<std::string_view> if_match;
  std::optional<std::string_view> if_none_match;
  std::optional<std::string_view> if_modified_since;
  std::optional<std::string_view> if_unmodified_since;
};

enum class Precondition {
  kProceed,
  kNotModified,         // 304
  kPreconditionFailed,  // 412
};

// kRead: GET and HEAD. kWrite: conditional PUT/copy, where a matching If-None-Match is a 412
// and If-Modified-Since does not apply.
enum class RequestKind { kRead, kWrite };

// `etag` is the object's ETag as stored, quoted ("\"abc\"") or not; `last_modified` is compared
// at whole-second precision, as the Last-Modified header carries it.
Precondition evaluate_preconditions(const ConditionalHeaders& headers, std::string_view etag,
                                    std::chrono::system_clock::time_point last_modified,
                                    RequestKind kind = RequestKind::kRead);

// Whether an If-Match / If-None-Match value names `etag`: "*", or a comma-separated list of
// entity tags, each quoted or not and with or without a W/ prefix. Comparison ignores quotes
// and W/ (S3 issues only strong tags; clients differ in how they echo them back).
bool etag_matches(std::string_view header_value, std::string_view etag);

}  // namespace s3gw::s3
