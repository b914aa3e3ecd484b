// Every S3 operation is authorized by an action; a new endpoint without one fails here.
#include "ops/action.h"

#include <gtest/gtest.h>

namespace s3gw::ops {
namespace {

TEST(ActionTest, EveryOperationHasAnAction) {
  for (int i = 0; i < static_cast<int>(Endpoint::kNotImplemented); ++i) {
    const auto e = static_cast<Endpoint>(i);
    const Action a = action_of(e);
    EXPECT_TRUE(a.name.starts_with("s3:")) << endpoint_name(e);
    EXPECT_NE(a.scope, ActionScope::kNone) << endpoint_name(e);
  }
  EXPECT_EQ(action_of(Endpoint::kNotImplemented).scope, ActionScope::kNone);
  EXPECT_EQ(action_of(Endpoint::kMethodNotAllowed).scope, ActionScope::kNone);
}

TEST(ActionTest, NamesAndScopes) {
  struct Case {
    Endpoint e;
    std::string_view action;
    ActionScope scope;
  };
  const Case cases[] = {
      {Endpoint::kListBuckets, "s3:ListAllMyBuckets", ActionScope::kService},
      {Endpoint::kCreateBucket, "s3:CreateBucket", ActionScope::kBucket},
      {Endpoint::kHeadBucket, "s3:ListBucket", ActionScope::kBucket},
      {Endpoint::kDeleteBucket, "s3:DeleteBucket", ActionScope::kBucket},
      {Endpoint::kGetBucketLocation, "s3:GetBucketLocation", ActionScope::kBucket},
      {Endpoint::kListObjects, "s3:ListBucket", ActionScope::kBucket},
      {Endpoint::kListObjectsV2, "s3:ListBucket", ActionScope::kBucket},
      {Endpoint::kPutObject, "s3:PutObject", ActionScope::kObject},
      {Endpoint::kGetObject, "s3:GetObject", ActionScope::kObject},
      {Endpoint::kHeadObject, "s3:GetObject", ActionScope::kObject},
      {Endpoint::kDeleteObject, "s3:DeleteObject", ActionScope::kObject},
      {Endpoint::kCreateMultipartUpload, "s3:PutObject", ActionScope::kObject},
      {Endpoint::kUploadPart, "s3:PutObject", ActionScope::kObject},
      {Endpoint::kCompleteMultipartUpload, "s3:PutObject", ActionScope::kObject},
      {Endpoint::kAbortMultipartUpload, "s3:AbortMultipartUpload", ActionScope::kObject},
      {Endpoint::kListParts, "s3:ListMultipartUploadParts", ActionScope::kObject},
      {Endpoint::kListMultipartUploads, "s3:ListBucketMultipartUploads", ActionScope::kBucket},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(action_of(c.e).name, c.action) << endpoint_name(c.e);
    EXPECT_EQ(action_of(c.e).scope, c.scope) << endpoint_name(c.e);
  }
}

TEST(ActionTest, OnlyCreateBucketIgnoresOwnership) {
  // A bucket that does not exist yet has no owner to fall back on.
  EXPECT_FALSE(action_of(Endpoint::kCreateBucket).owner_allowed);
  EXPECT_TRUE(action_of(Endpoint::kDeleteBucket).owner_allowed);
  EXPECT_TRUE(action_of(Endpoint::kGetObject).owner_allowed);
}

}  // namespace
}  // namespace s3gw::ops
