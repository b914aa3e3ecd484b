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
    case Endpoint::kNotImplemented:
    case Endpoint::kMethodNotAllowed:
      break;
  }
  return {"", ActionScope::kNone};
}

}  // namespace s3gw::ops
