#pragma once
// Every S3 operation the gateway knows, and the routing from method + path + sub-resources to
// one of them (after Garage's Endpoint list). Operations that later issues implement are listed
// so that their requests get NotImplemented instead of being mistaken for another operation
// (a PUT ?versioning must never create a bucket).
#include <boost/beast/http/verb.hpp>
#include <span>
#include <string_view>

#include "ops/s3_request.h"

namespace s3gw::ops {

enum class Endpoint {
  kListBuckets,
  kCreateBucket,
  kHeadBucket,
  kDeleteBucket,
  kGetBucketLocation,
  kListObjects,
  kListObjectsV2,
  kPutObject,
  kGetObject,
  kHeadObject,
  kDeleteObject,
  kCreateMultipartUpload,
  kUploadPart,
  kCompleteMultipartUpload,
  kAbortMultipartUpload,
  kListParts,
  kListMultipartUploads,
  kGetBucketVersioning,
  kPutBucketVersioning,
  kListObjectVersions,
  kGetBucketTagging,
  kPutBucketTagging,
  kDeleteBucketTagging,
  kDeleteObjects,
  kGetObjectLockConfiguration,
  kPutObjectLockConfiguration,
  kGetObjectTagging,
  kPutObjectTagging,
  kDeleteObjectTagging,
  kCopyObject,
  kUploadPartCopy,
  kGetObjectRetention,
  kPutObjectRetention,
  kGetObjectLegalHold,
  kPutObjectLegalHold,
  kNotImplemented,    // a known S3 operation this gateway does not serve yet
  kMethodNotAllowed,  // no S3 operation has this method on this resource
};

// S3's name of the operation (operation.cpp's table).
std::string_view endpoint_name(Endpoint e);

// The query parameters that select an operation (`?retention`, `?tagging`, ...). Whatever
// authenticates a request must cover each of them: SigV4 signs the whole query, SigV2 only the
// sub-resources it lists (auth/sigv2), which the unit tests hold against this list.
std::span<const std::string_view> operation_selectors();

// `has_bucket` / `has_key` from the path; sub-resources from the query and headers.
Endpoint resolve_endpoint(boost::beast::http::verb method, bool has_bucket, bool has_key,
                          const QueryParams& query, bool has_copy_source);

}  // namespace s3gw::ops
