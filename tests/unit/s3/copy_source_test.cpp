#include "s3/copy_source.h"

#include <gtest/gtest.h>

namespace s3gw::s3 {
namespace {

CopySource ok(std::string_view header) {
  auto r = parse_copy_source(header);
  EXPECT_TRUE(std::holds_alternative<CopySource>(r)) << header;
  if (auto* s = std::get_if<CopySource>(&r)) return *s;
  return {};
}

ErrorCode code_of(std::string_view header) {
  auto r = parse_copy_source(header);
  EXPECT_TRUE(std::holds_alternative<S3Error>(r)) << header;
  if (auto* e = std::get_if<S3Error>(&r)) return e->code;
  return ErrorCode::kCount;
}

TEST(CopySource, BucketAndKeyWithOrWithoutLeadingSlash) {
  auto a = ok("bucket/dir/key.txt");
  EXPECT_EQ(a.bucket, "bucket");
  EXPECT_EQ(a.key, "dir/key.txt");
  EXPECT_FALSE(a.version_id);
  auto b = ok("/bucket/dir/key.txt");
  EXPECT_EQ(b.bucket, "bucket");
  EXPECT_EQ(b.key, "dir/key.txt");
}

TEST(CopySource, PercentDecodedKeyKeepsPlusAndSplitsQueryBeforeDecoding) {
  auto s = ok("bucket/a%20b%2Bc%3Fd+e%26f");
  EXPECT_EQ(s.key, "a b+c?d+e&f");
  EXPECT_FALSE(s.version_id);
  auto v = ok("/bucket/caf%C3%A9?versionId=0123abcd");
  EXPECT_EQ(v.key, "caf\xC3\xA9");
  ASSERT_TRUE(v.version_id);
  EXPECT_EQ(*v.version_id, "0123abcd");
  EXPECT_EQ(*ok("b12/k?versionId=null").version_id, "null");
}

TEST(CopySource, RefusesWhatNamesNoObject) {
  for (std::string_view h :
       {"", "/", "bucket", "bucket/", "/bucket", "//key", "bucket/%zz",
        "bucket/key?versionId=", "bucket/key?foo=bar", "bucket/key?versionId=1&x=2"}) {
    EXPECT_EQ(code_of(h), ErrorCode::kInvalidArgument) << h;
  }
  EXPECT_EQ(code_of("Bad_Bucket/key"), ErrorCode::kInvalidBucketName);
  EXPECT_EQ(code_of("bucket/" + std::string(1025, 'k')), ErrorCode::kKeyTooLongError);
}

TEST(CopySourceRange, FirstToLastInclusive) {
  auto r = parse_copy_source_range("bytes=0-9", 10);
  ASSERT_TRUE(std::holds_alternative<CopyRange>(r));
  EXPECT_EQ(std::get<CopyRange>(r).first, 0u);
  EXPECT_EQ(std::get<CopyRange>(r).length, 10u);
  r = parse_copy_source_range("bytes=5-5", 10);
  EXPECT_EQ(std::get<CopyRange>(r).first, 5u);
  EXPECT_EQ(std::get<CopyRange>(r).length, 1u);
}

TEST(CopySourceRange, MalformedIsInvalidArgumentOutsideIsInvalidRange) {
  for (std::string_view h : {"", "bytes=", "bytes=-5", "bytes=5-", "bytes=5-4", "bytes=a-b",
                             "bytes=0-1,3-4", "items=0-1", "bytes= 0-1"}) {
    auto r = parse_copy_source_range(h, 10);
    ASSERT_TRUE(std::holds_alternative<S3Error>(r)) << h;
    EXPECT_EQ(std::get<S3Error>(r).code, ErrorCode::kInvalidArgument) << h;
  }
  auto r = parse_copy_source_range("bytes=0-10", 10);
  ASSERT_TRUE(std::holds_alternative<S3Error>(r));
  EXPECT_EQ(std::get<S3Error>(r).code, ErrorCode::kInvalidRange);
}

}  // namespace
}  // namespace s3gw::s3
