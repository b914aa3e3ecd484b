#include "ops/operation.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace s3gw::ops {
namespace {

TEST(Operation, EveryEndpointHasExactlyOneRow) {
  const auto rows = all_operations();
  const auto count = static_cast<std::size_t>(Endpoint::kMethodNotAllowed) + 1;
  ASSERT_EQ(rows.size(), count);
  std::set<int> seen;
  for (const auto& op : rows) EXPECT_TRUE(seen.insert(static_cast<int>(op.endpoint)).second);
  for (std::size_t i = 0; i < count; ++i) {
    const auto e = static_cast<Endpoint>(i);
    EXPECT_EQ(operation_of(e).endpoint, e) << i;
  }
}

TEST(Operation, RowsAreConsistent) {
  std::set<std::string_view> names;
  for (const auto& op : all_operations()) {
    SCOPED_TRACE(std::string(op.name));
    EXPECT_TRUE(names.insert(op.name).second) << "two operations share a name";
    EXPECT_EQ(endpoint_name(op.endpoint), op.name);
    const bool routed =
        op.endpoint != Endpoint::kNotImplemented && op.endpoint != Endpoint::kMethodNotAllowed;
    // Every operation the router can pick has a handler and a permission; the two fallbacks
    // have neither and never log themselves.
    EXPECT_EQ(op.handler != nullptr, routed);
    EXPECT_EQ(op.action.scope != ActionScope::kNone, routed);
    EXPECT_EQ(!op.action.name.empty(), routed);
    if (!routed) {
      EXPECT_FALSE(op.mutates);
    }
    // A version-specific action only where a versionId names an object version.
    if (!op.versioned_action.empty()) {
      EXPECT_EQ(op.action.scope, ActionScope::kObject);
      EXPECT_TRUE(op.versioned_action.starts_with(op.action.name.substr(0, 9)));
    }
    // Only the service-level listing has no bucket to write to.
    if (op.mutates) {
      EXPECT_NE(op.action.scope, ActionScope::kService);
    }
  }
}

TEST(Operation, MutationsAreTheWrites) {
  // A mutation logs itself inside its transaction; one missing here would be logged twice.
  for (Endpoint e : {Endpoint::kPutObject, Endpoint::kCopyObject, Endpoint::kDeleteObjects,
                     Endpoint::kCompleteMultipartUpload, Endpoint::kPutObjectRetention,
                     Endpoint::kDeleteBucketTagging}) {
    EXPECT_TRUE(operation_of(e).mutates) << endpoint_name(e);
  }
  for (Endpoint e : {Endpoint::kGetObject, Endpoint::kHeadObject, Endpoint::kListObjectsV2,
                     Endpoint::kListParts, Endpoint::kGetObjectLegalHold}) {
    EXPECT_FALSE(operation_of(e).mutates) << endpoint_name(e);
  }
  EXPECT_EQ(operation_of(Endpoint::kGetObject).versioned_action, "s3:GetObjectVersion");
  EXPECT_EQ(operation_of(Endpoint::kDeleteObject).versioned_action, "s3:DeleteObjectVersion");
  EXPECT_EQ(operation_of(Endpoint::kPutObject).versioned_action, "");
}

}  // namespace
}  // namespace s3gw::ops
