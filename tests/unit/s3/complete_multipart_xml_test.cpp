#include <gtest/gtest.h>

#include "s3/xml_reader.h"

namespace s3gw::s3 {
namespace {

bool malformed(std::string_view body) {
  auto r = parse_complete_multipart_upload(body);
  const auto* e = std::get_if<S3Error>(&r);
  return e != nullptr && e->code == ErrorCode::kMalformedXML;
}

TEST(CompleteMultipartXml, ParsesPartsInOrder) {
  auto r = parse_complete_multipart_upload(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Part><ETag>"a1"</ETag><PartNumber>2</PartNumber></Part>
  <Part><PartNumber> 1 </PartNumber><ETag>b2</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>
</CompleteMultipartUpload>)");
  ASSERT_TRUE(std::holds_alternative<CompleteMultipartUpload>(r));
  const auto& c = std::get<CompleteMultipartUpload>(r);
  ASSERT_EQ(c.parts.size(), 2u);
  EXPECT_EQ(c.parts[0].number, 2);
  EXPECT_EQ(c.parts[0].etag, "\"a1\"");
  EXPECT_TRUE(c.parts[0].checksums.empty());
  EXPECT_EQ(c.parts[1].number, 1);
  EXPECT_EQ(c.parts[1].etag, "b2");
  ASSERT_EQ(c.parts[1].checksums.size(), 1u);
  EXPECT_EQ(c.parts[1].checksums[0].first, util::ChecksumAlgorithm::kCRC32);
  EXPECT_EQ(c.parts[1].checksums[0].second, "AAAAAA==");
}

TEST(CompleteMultipartXml, WithoutNamespaceToo) {
  auto r = parse_complete_multipart_upload(
      "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part>"
      "</CompleteMultipartUpload>");
  EXPECT_TRUE(std::holds_alternative<CompleteMultipartUpload>(r));
}

TEST(CompleteMultipartXml, Malformed) {
  EXPECT_TRUE(malformed(""));
  EXPECT_TRUE(malformed("not xml"));
  EXPECT_TRUE(malformed("<CompleteMultipartUpload></CompleteMultipartUpload>"));
  EXPECT_TRUE(malformed("<Other><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></Other>"));
  EXPECT_TRUE(
      malformed("<CompleteMultipartUpload><Part><ETag>x</ETag></Part></CompleteMultipartUpload>"));
  EXPECT_TRUE(
      malformed("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></"
                "CompleteMultipartUpload>"));
  EXPECT_TRUE(
      malformed("<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>x</ETag>"
                "</Part></CompleteMultipartUpload>"));
  EXPECT_TRUE(
      malformed("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag>"
                "<Size>3</Size></Part></CompleteMultipartUpload>"));
  EXPECT_TRUE(
      malformed("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag>"
                "<ETag>y</ETag></Part></CompleteMultipartUpload>"));
  EXPECT_TRUE(
      malformed("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag>"
                "<ChecksumMD5>x</ChecksumMD5></Part></CompleteMultipartUpload>"));
  EXPECT_TRUE(
      malformed("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag>"
                "</Part></CompleteMultipartUpload><Extra/>"));
}

}  // namespace
}  // namespace s3gw::s3
