#include "ops/operation.h"

#include <array>
#include <cstddef>

namespace s3gw::ops {

namespace {

// The two listings share a handler.
awaitable<Reply> list_objects_v1(OpContext& ctx, S3Request& req) {
  return list_objects(ctx, req, false);
}
awaitable<Reply> list_objects_v2(OpContext& ctx, S3Request& req) {
  return list_objects(ctx, req, true);
}

// In Endpoint order (checked below). Action names as AWS IAM spells them: HeadBucket and
// HeadObject are authorized by s3:ListBucket and s3:GetObject there too, DeleteBucketTagging by
// s3:PutBucketTagging (IAM has no action of its own), a copy by s3:PutObject on its destination
// (the handler checks s3:GetObject on the source), DeleteObjects per key by its handler (the
// authorizer asks only that the caller may delete some key of the bucket), CreateBucket without
// the owner's say (its bucket has no owner yet).
// {endpoint, name, {action, scope, owner allowed}, versioned action, mutates, handler}
constexpr Operation kOperations[] = {
    {Endpoint::kListBuckets,
     "ListBuckets",
     {"s3:ListAllMyBuckets", ActionScope::kService},
     "",
     false,
     list_buckets},
    {Endpoint::kCreateBucket,
     "CreateBucket",
     {"s3:CreateBucket", ActionScope::kBucket, false},
     "",
     true,
     create_bucket},
    {Endpoint::kHeadBucket,
     "HeadBucket",
     {"s3:ListBucket", ActionScope::kBucket},
     "",
     false,
     head_bucket},
    {Endpoint::kDeleteBucket,
     "DeleteBucket",
     {"s3:DeleteBucket", ActionScope::kBucket},
     "",
     true,
     delete_bucket},
    {Endpoint::kGetBucketLocation,
     "GetBucketLocation",
     {"s3:GetBucketLocation", ActionScope::kBucket},
     "",
     false,
     get_bucket_location},
    {Endpoint::kListObjects,
     "ListObjects",
     {"s3:ListBucket", ActionScope::kBucket},
     "",
     false,
     list_objects_v1},
    {Endpoint::kListObjectsV2,
     "ListObjectsV2",
     {"s3:ListBucket", ActionScope::kBucket},
     "",
     false,
     list_objects_v2},
    {Endpoint::kPutObject,
     "PutObject",
     {"s3:PutObject", ActionScope::kObject},
     "",
     true,
     put_object},
    {Endpoint::kGetObject,
     "GetObject",
     {"s3:GetObject", ActionScope::kObject},
     "s3:GetObjectVersion",
     false,
     get_object},
    {Endpoint::kHeadObject,
     "HeadObject",
     {"s3:GetObject", ActionScope::kObject},
     "s3:GetObjectVersion",
     false,
     get_object},
    {Endpoint::kDeleteObject,
     "DeleteObject",
     {"s3:DeleteObject", ActionScope::kObject},
     "s3:DeleteObjectVersion",
     true,
     delete_object},
    {Endpoint::kCreateMultipartUpload,
     "CreateMultipartUpload",
     {"s3:PutObject", ActionScope::kObject},
     "",
     true,
     create_multipart_upload},
    {Endpoint::kUploadPart,
     "UploadPart",
     {"s3:PutObject", ActionScope::kObject},
     "",
     true,
     upload_part},
    {Endpoint::kCompleteMultipartUpload,
     "CompleteMultipartUpload",
     {"s3:PutObject", ActionScope::kObject},
     "",
     true,
     complete_multipart_upload},
    {Endpoint::kAbortMultipartUpload,
     "AbortMultipartUpload",
     {"s3:AbortMultipartUpload", ActionScope::kObject},
     "",
     true,
     abort_multipart_upload},
    {Endpoint::kListParts,
     "ListParts",
     {"s3:ListMultipartUploadParts", ActionScope::kObject},
     "",
     false,
     list_parts},
    {Endpoint::kListMultipartUploads,
     "ListMultipartUploads",
     {"s3:ListBucketMultipartUploads", ActionScope::kBucket},
     "",
     false,
     list_multipart_uploads},
    {Endpoint::kGetBucketVersioning,
     "GetBucketVersioning",
     {"s3:GetBucketVersioning", ActionScope::kBucket},
     "",
     false,
     get_bucket_versioning},
    {Endpoint::kPutBucketVersioning,
     "PutBucketVersioning",
     {"s3:PutBucketVersioning", ActionScope::kBucket},
     "",
     true,
     put_bucket_versioning},
    {Endpoint::kListObjectVersions,
     "ListObjectVersions",
     {"s3:ListBucketVersions", ActionScope::kBucket},
     "",
     false,
     list_object_versions},
    {Endpoint::kGetBucketTagging,
     "GetBucketTagging",
     {"s3:GetBucketTagging", ActionScope::kBucket},
     "",
     false,
     get_bucket_tagging},
    {Endpoint::kPutBucketTagging,
     "PutBucketTagging",
     {"s3:PutBucketTagging", ActionScope::kBucket},
     "",
     true,
     put_bucket_tagging},
    {Endpoint::kDeleteBucketTagging,
     "DeleteBucketTagging",
     {"s3:PutBucketTagging", ActionScope::kBucket},
     "",
     true,
     delete_bucket_tagging},
    {Endpoint::kDeleteObjects,
     "DeleteObjects",
     {"s3:DeleteObject", ActionScope::kPerKey},
     "",
     true,
     delete_objects},
    {Endpoint::kGetObjectLockConfiguration,
     "GetObjectLockConfiguration",
     {"s3:GetBucketObjectLockConfiguration", ActionScope::kBucket},
     "",
     false,
     get_object_lock_configuration},
    {Endpoint::kPutObjectLockConfiguration,
     "PutObjectLockConfiguration",
     {"s3:PutBucketObjectLockConfiguration", ActionScope::kBucket},
     "",
     true,
     put_object_lock_configuration},
    {Endpoint::kGetObjectTagging,
     "GetObjectTagging",
     {"s3:GetObjectTagging", ActionScope::kObject},
     "s3:GetObjectVersionTagging",
     false,
     get_object_tagging},
    {Endpoint::kPutObjectTagging,
     "PutObjectTagging",
     {"s3:PutObjectTagging", ActionScope::kObject},
     "s3:PutObjectVersionTagging",
     true,
     put_object_tagging},
    {Endpoint::kDeleteObjectTagging,
     "DeleteObjectTagging",
     {"s3:DeleteObjectTagging", ActionScope::kObject},
     "s3:DeleteObjectVersionTagging",
     true,
     delete_object_tagging},
    {Endpoint::kCopyObject,
     "CopyObject",
     {"s3:PutObject", ActionScope::kObject},
     "",
     true,
     copy_object},
    {Endpoint::kUploadPartCopy,
     "UploadPartCopy",
     {"s3:PutObject", ActionScope::kObject},
     "",
     true,
     upload_part_copy},
    {Endpoint::kGetObjectRetention,
     "GetObjectRetention",
     {"s3:GetObjectRetention", ActionScope::kObject},
     "",
     false,
     get_object_retention},
    {Endpoint::kPutObjectRetention,
     "PutObjectRetention",
     {"s3:PutObjectRetention", ActionScope::kObject},
     "",
     true,
     put_object_retention},
    {Endpoint::kGetObjectLegalHold,
     "GetObjectLegalHold",
     {"s3:GetObjectLegalHold", ActionScope::kObject},
     "",
     false,
     get_object_legal_hold},
    {Endpoint::kPutObjectLegalHold,
     "PutObjectLegalHold",
     {"s3:PutObjectLegalHold", ActionScope::kObject},
     "",
     true,
     put_object_legal_hold},
    {Endpoint::kNotImplemented, "NotImplemented", {"", ActionScope::kNone}, "", false, nullptr},
    {Endpoint::kMethodNotAllowed, "MethodNotAllowed", {"", ActionScope::kNone}, "", false, nullptr},
};

constexpr bool in_endpoint_order() {
  for (std::size_t i = 0; i < std::size(kOperations); ++i) {
    if (static_cast<std::size_t>(kOperations[i].endpoint) != i) return false;
  }
  return std::size(kOperations) == static_cast<std::size_t>(Endpoint::kMethodNotAllowed) + 1;
}
static_assert(in_endpoint_order(), "one row per Endpoint, in its order");

}  // namespace

const Operation& operation_of(Endpoint e) {
  return kOperations[static_cast<std::size_t>(e)];
}

std::span<const Operation> all_operations() {
  return kOperations;
}

std::string_view endpoint_name(Endpoint e) {
  return operation_of(e).name;
}

Action action_of(Endpoint e) {
  return operation_of(e).action;
}

}  // namespace s3gw::ops
