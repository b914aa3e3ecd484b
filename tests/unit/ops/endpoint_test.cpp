#include "ops/endpoint.h"

#include <gtest/gtest.h>

#include "auth/sigv2.h"

namespace s3gw::ops {
namespace {

using boost::beast::http::verb;

Endpoint route(verb m, bool bucket, bool key, std::string_view query, bool copy = false) {
  auto q = QueryParams::parse(query);
  EXPECT_TRUE(q.has_value());
  return resolve_endpoint(m, bucket, key, *q, copy);
}

TEST(Endpoint, ServiceLevel) {
  EXPECT_EQ(route(verb::get, false, false, ""), Endpoint::kListBuckets);
  EXPECT_EQ(route(verb::put, false, false, ""), Endpoint::kMethodNotAllowed);
}

TEST(Endpoint, BucketLevel) {
  EXPECT_EQ(route(verb::put, true, false, ""), Endpoint::kCreateBucket);
  EXPECT_EQ(route(verb::head, true, false, ""), Endpoint::kHeadBucket);
  EXPECT_EQ(route(verb::delete_, true, false, ""), Endpoint::kDeleteBucket);
  EXPECT_EQ(route(verb::get, true, false, ""), Endpoint::kListObjects);
  EXPECT_EQ(route(verb::get, true, false, "list-type=2&prefix=a"), Endpoint::kListObjectsV2);
  EXPECT_EQ(route(verb::get, true, false, "location"), Endpoint::kGetBucketLocation);
  EXPECT_EQ(route(verb::get, true, false, "location="), Endpoint::kGetBucketLocation);
}

TEST(Endpoint, SubresourcesNeverFallBackToAnotherOperation) {
  // PUT ?versioning must not create a bucket; DELETE ?tagging must not delete it.
  EXPECT_EQ(route(verb::put, true, false, "versioning"), Endpoint::kPutBucketVersioning);
  EXPECT_EQ(route(verb::delete_, true, false, "tagging"), Endpoint::kDeleteBucketTagging);
  EXPECT_EQ(route(verb::delete_, true, false, "versioning"), Endpoint::kNotImplemented);
  EXPECT_EQ(route(verb::put, true, false, "cors"), Endpoint::kNotImplemented);
  EXPECT_EQ(route(verb::put, true, true, "uploadId=x&tagging"), Endpoint::kNotImplemented);
  EXPECT_EQ(route(verb::put, true, true, "partNumber=1"), Endpoint::kNotImplemented);
  EXPECT_EQ(route(verb::put, true, true, "acl"), Endpoint::kNotImplemented);
  EXPECT_EQ(route(verb::get, true, true, "partNumber=1"), Endpoint::kNotImplemented);
  EXPECT_EQ(route(verb::post, true, true, "restore"), Endpoint::kNotImplemented);
  EXPECT_EQ(route(verb::post, true, true, ""), Endpoint::kNotImplemented);
  EXPECT_EQ(route(verb::post, true, false, "uploads"), Endpoint::kNotImplemented);
}

TEST(Endpoint, VersioningTaggingLockCopy) {
  EXPECT_EQ(route(verb::get, true, false, "versioning"), Endpoint::kGetBucketVersioning);
  EXPECT_EQ(route(verb::get, true, false, "versions&prefix=a"), Endpoint::kListObjectVersions);
  EXPECT_EQ(route(verb::post, true, false, "delete"), Endpoint::kDeleteObjects);
  EXPECT_EQ(route(verb::get, true, false, "tagging"), Endpoint::kGetBucketTagging);
  EXPECT_EQ(route(verb::put, true, false, "tagging"), Endpoint::kPutBucketTagging);
  EXPECT_EQ(route(verb::get, true, false, "object-lock"), Endpoint::kGetObjectLockConfiguration);
  EXPECT_EQ(route(verb::put, true, false, "object-lock"), Endpoint::kPutObjectLockConfiguration);
  EXPECT_EQ(route(verb::put, true, true, "tagging"), Endpoint::kPutObjectTagging);
  EXPECT_EQ(route(verb::get, true, true, "tagging&versionId=v"), Endpoint::kGetObjectTagging);
  EXPECT_EQ(route(verb::delete_, true, true, "tagging"), Endpoint::kDeleteObjectTagging);
  EXPECT_EQ(route(verb::put, true, true, "retention"), Endpoint::kPutObjectRetention);
  EXPECT_EQ(route(verb::get, true, true, "retention"), Endpoint::kGetObjectRetention);
  EXPECT_EQ(route(verb::put, true, true, "legal-hold"), Endpoint::kPutObjectLegalHold);
  EXPECT_EQ(route(verb::get, true, true, "legal-hold"), Endpoint::kGetObjectLegalHold);
  EXPECT_EQ(route(verb::put, true, true, "", true), Endpoint::kCopyObject);
  EXPECT_EQ(route(verb::put, true, true, "partNumber=1&uploadId=x", true),
            Endpoint::kUploadPartCopy);
  // versionId is a parameter, not a sub-resource.
  EXPECT_EQ(route(verb::get, true, true, "versionId=abc"), Endpoint::kGetObject);
  EXPECT_EQ(route(verb::delete_, true, true, "versionId=abc"), Endpoint::kDeleteObject);
}

TEST(Endpoint, Multipart) {
  EXPECT_EQ(route(verb::post, true, true, "uploads"), Endpoint::kCreateMultipartUpload);
  EXPECT_EQ(route(verb::post, true, true, "uploads="), Endpoint::kCreateMultipartUpload);
  EXPECT_EQ(route(verb::put, true, true, "partNumber=1&uploadId=x"), Endpoint::kUploadPart);
  EXPECT_EQ(route(verb::put, true, true, "uploadId=x&partNumber=2"), Endpoint::kUploadPart);
  EXPECT_EQ(route(verb::post, true, true, "uploadId=x"), Endpoint::kCompleteMultipartUpload);
  EXPECT_EQ(route(verb::delete_, true, true, "uploadId=x"), Endpoint::kAbortMultipartUpload);
  EXPECT_EQ(route(verb::get, true, true, "uploadId=x&max-parts=2"), Endpoint::kListParts);
  EXPECT_EQ(route(verb::get, true, false, "uploads&prefix=a"), Endpoint::kListMultipartUploads);
}

TEST(Endpoint, ObjectLevelIgnoresPlainParameters) {
  EXPECT_EQ(route(verb::put, true, true, "x-id=PutObject"), Endpoint::kPutObject);
  EXPECT_EQ(route(verb::get, true, true, "response-content-type=text%2Fplain"),
            Endpoint::kGetObject);
  EXPECT_EQ(route(verb::head, true, true, ""), Endpoint::kHeadObject);
  EXPECT_EQ(route(verb::delete_, true, true, "x-id=DeleteObject"), Endpoint::kDeleteObject);
  EXPECT_EQ(route(verb::patch, true, true, ""), Endpoint::kMethodNotAllowed);
}

TEST(QueryParams, DecodesAndKeepsOrder) {
  auto q = QueryParams::parse("prefix=a%2Fb+c&delimiter=%2F&empty&x=");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->get("prefix"), "a/b c");
  EXPECT_EQ(q->get("delimiter"), "/");
  EXPECT_TRUE(q->has("empty"));
  EXPECT_EQ(q->get("empty"), "");
  EXPECT_FALSE(q->has("missing"));
  EXPECT_FALSE(QueryParams::parse("a=%ZZ").has_value());
}

// A SigV2 signature covers only the sub-resources it lists: a selector missing there could be
// added to a signed request (a presigned PUT turned into PutObjectRetention).
TEST(Endpoint, EverySelectorIsSignedBySigV2) {
  for (std::string_view s : operation_selectors()) {
    if (s == "list-type") continue;  // ListObjects or ListObjectsV2: one permission, both reads
    EXPECT_TRUE(auth::is_sigv2_subresource(s)) << s;
  }
  EXPECT_TRUE(auth::is_sigv2_subresource("retention"));
  EXPECT_TRUE(auth::is_sigv2_subresource("legal-hold"));
}

// list-type, which SigV2 leaves unsigned, selects only when nothing else does: prepended to a
// URL signed for ?versioning it must not turn it into a listing.
TEST(Endpoint, ListTypeNeverWinsOverASignedSelector) {
  EXPECT_EQ(route(verb::get, true, false, "list-type=2&versioning"),
            Endpoint::kGetBucketVersioning);
  EXPECT_EQ(route(verb::get, true, false, "list-type=2&prefix=p&location"),
            Endpoint::kGetBucketLocation);
  EXPECT_EQ(route(verb::get, true, false, "list-type=2&uploads"), Endpoint::kListMultipartUploads);
  EXPECT_EQ(route(verb::get, true, false, "prefix=p&list-type=2"), Endpoint::kListObjectsV2);
  EXPECT_EQ(route(verb::put, true, false, "list-type=2&tagging"), Endpoint::kPutBucketTagging);
}

}  // namespace
}  // namespace s3gw::ops
