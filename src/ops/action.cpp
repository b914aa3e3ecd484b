#include "ops/action.h"

namespace s3gw::ops {

Action action_of(Endpoint e) {
  // Action names as AWS IAM spells them (HeadBucket and HeadObject are authorized by
  // s3:ListBucket and s3:GetObject there too).
  switch (e) {
    case Endpoint::kListBuckets:
      return {"s3:ListAllMyBuckets", ActionScope::kService};
    case Endpoint::kCreateBucket:
      return {"s3:CreateBucket", ActionScope::kBucket, false};
    case Endpoint::kHeadBucket:
      return {"s3:ListBucket", ActionScope::kBucket};
    case Endpoint::kDeleteBucket:
      return {"s3:DeleteBucket", ActionScope::kBucket};
    case Endpoint::kGetBucketLocation:
      return {"s3:GetBucketLocation", ActionScope::kBucket};
    case Endpoint::kListObjects:
    case Endpoint::kListObjectsV2:
      return {"s3:ListBucket", ActionScope::kBucket};
    case Endpoint::kPutObject:
      return {"s3:PutObject", ActionScope::kObject};
    case Endpoint::kGetObject:
    case Endpoint::kHeadObject:
      return {"s3:GetObject", ActionScope::kObject};
    case Endpoint::kDeleteObject:
      return {"s3:DeleteObject", ActionScope::kObject};
    case Endpoint::kCreateMultipartUpload:
    case Endpoint::kUploadPart:
    case Endpoint::kCompleteMultipartUpload:
      return {"s3:PutObject", ActionScope::kObject};
    case Endpoint::kAbortMultipartUpload:
      return {"s3:AbortMultipartUpload", ActionScope::kObject};
    case Endpoint::kListParts:
      return {"s3:ListMultipartUploadParts", ActionScope::kObject};
    case Endpoint::kListMultipartUploads:
      return {"s3:ListBucketMultipartUploads", ActionScope::kBucket};
    case Endpoint::kGetBucketVersioning:
      return {"s3:GetBucketVersioning", ActionScope::kBucket};
    case Endpoint::kPutBucketVersioning:
      return {"s3:PutBucketVersioning", ActionScope::kBucket};
    case Endpoint::kListObjectVersions:
      return {"s3:ListBucketVersions", ActionScope::kBucket};
    case Endpoint::kGetBucketTagging:
      return {"s3:GetBucketTagging", ActionScope::kBucket};
    case Endpoint::kPutBucketTagging:
    case Endpoint::kDeleteBucketTagging:  // IAM has no DeleteBucketTagging action
      return {"s3:PutBucketTagging", ActionScope::kBucket};
    case Endpoint::kDeleteObjects:
      // Authorized per key by the handler (s3:DeleteObject, s3:DeleteObjectVersion), as S3
      // does; the authorizer only asks that the caller may delete some key of the bucket.
      return {"s3:DeleteObject", ActionScope::kPerKey};
    case Endpoint::kGetObjectLockConfiguration:
      return {"s3:GetBucketObjectLockConfiguration", ActionScope::kBucket};
    case Endpoint::kPutObjectLockConfiguration:
      return {"s3:PutBucketObjectLockConfiguration", ActionScope::kBucket};
    case Endpoint::kGetObjectTagging:
      return {"s3:GetObjectTagging", ActionScope::kObject};
    case Endpoint::kPutObjectTagging:
      return {"s3:PutObjectTagging", ActionScope::kObject};
    case Endpoint::kDeleteObjectTagging:
      return {"s3:DeleteObjectTagging", ActionScope::kObject};
    case Endpoint::kCopyObject:
    case Endpoint::kUploadPartCopy:
      // The destination; the handler checks s3:GetObject on the source.
      return {"s3:PutObject", ActionScope::kObject};
    case Endpoint::kGetObjectRetention:
      return {"s3:GetObjectRetention", ActionScope::kObject};
    case Endpoint::kPutObjectRetention:
      return {"s3:PutObjectRetention", ActionScope::kObject};
    case Endpoint::kGetObjectLegalHold:
      return {"s3:GetObjectLegalHold", ActionScope::kObject};
    case Endpoint::kPutObjectLegalHold:
      return {"s3:PutObjectLegalHold", ActionScope::kObject};
    case Endpoint::kNotImplemented:
    case Endpoint::kMethodNotAllowed:
      break;
  }
  return {"", ActionScope::kNone};
}

}  // namespace s3gw::ops
