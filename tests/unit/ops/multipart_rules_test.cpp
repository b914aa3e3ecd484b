#include "ops/multipart_rules.h"

#include <gtest/gtest.h>

#include "util/encoding.h"

namespace s3gw::ops {
namespace {

using s3::ErrorCode;
using util::ChecksumAlgorithm;

std::string digest(ChecksumAlgorithm a, std::string_view data) {
  auto h = util::make_hasher(a);
  h->update(data);
  return h->digest();
}

std::string b64(ChecksumAlgorithm a, std::string_view data) {
  return util::base64_encode(digest(a, data));
}

std::string md5_etag(std::string_view data) {
  util::Md5 m;
  m.update(data);
  return "\"" + util::hex_encode(m.digest()) + "\"";
}

meta::MultipartPart part(int n, std::int64_t size, std::string etag,
                         std::optional<std::string> sum = std::nullopt) {
  meta::MultipartPart p;
  p.number = n;
  p.size = size;
  p.etag = std::move(etag);
  p.checksum_value = std::move(sum);
  return p;
}

s3::CompletedPart named(long long n, std::string etag) {
  s3::CompletedPart p;
  p.number = n;
  p.etag = std::move(etag);
  return p;
}

ErrorCode error_of(const std::variant<std::vector<const meta::MultipartPart*>, s3::S3Error>& r) {
  if (const auto* e = std::get_if<s3::S3Error>(&r)) return e->code;
  ADD_FAILURE() << "no error";
  return ErrorCode::kCount;
}

constexpr std::int64_t kFive = 5 << 20;

TEST(MultipartRules, PartNumbers) {
  EXPECT_EQ(parse_part_number("1"), 1);
  EXPECT_EQ(parse_part_number("10000"), 10000);
  EXPECT_FALSE(parse_part_number("0"));
  EXPECT_FALSE(parse_part_number("10001"));
  EXPECT_FALSE(parse_part_number("-1"));
  EXPECT_FALSE(parse_part_number("1a"));
  EXPECT_FALSE(parse_part_number(""));
}

TEST(MultipartRules, UploadChecksumSettings) {
  auto none = std::get<UploadChecksum>(plan_upload_checksum(std::nullopt, std::nullopt));
  EXPECT_FALSE(none.algorithm);
  EXPECT_EQ(part_algorithm(none), ChecksumAlgorithm::kCRC64NVME);
  auto crc32 = std::get<UploadChecksum>(plan_upload_checksum("CRC32", std::nullopt));
  EXPECT_EQ(crc32.algorithm, ChecksumAlgorithm::kCRC32);
  EXPECT_TRUE(crc32.composite);
  auto crc64 = std::get<UploadChecksum>(plan_upload_checksum("crc64nvme", std::nullopt));
  EXPECT_FALSE(crc64.composite);
  auto full = std::get<UploadChecksum>(plan_upload_checksum("CRC32C", "FULL_OBJECT"));
  EXPECT_FALSE(full.composite);
  auto err = [](std::optional<std::string_view> a, std::optional<std::string_view> t) {
    auto r = plan_upload_checksum(a, t);
    return std::holds_alternative<s3::S3Error>(r);
  };
  EXPECT_TRUE(err("MD5", std::nullopt));
  EXPECT_TRUE(err(std::nullopt, "COMPOSITE"));
  EXPECT_TRUE(err("CRC64NVME", "COMPOSITE"));
  EXPECT_TRUE(err("SHA256", "FULL_OBJECT"));
  EXPECT_TRUE(err("CRC32", "WHOLE"));
}

TEST(MultipartRules, SelectsTheNamedPartsInOrder) {
  const std::vector<meta::MultipartPart> stored = {part(1, kFive, "\"aa\""),
                                                   part(2, kFive, "\"bb\""), part(3, 10, "\"cc\"")};
  s3::CompleteMultipartUpload req;
  req.parts = {named(1, "\"aa\""), named(3, "CC")};  // quotes and case do not matter
  auto r = select_parts(req, stored, {});
  ASSERT_TRUE(std::holds_alternative<std::vector<const meta::MultipartPart*>>(r));
  const auto& chosen = std::get<std::vector<const meta::MultipartPart*>>(r);
  ASSERT_EQ(chosen.size(), 2u);
  EXPECT_EQ(chosen[0]->number, 1);
  EXPECT_EQ(chosen[1]->number, 3);
}

TEST(MultipartRules, Errors) {
  const std::vector<meta::MultipartPart> stored = {
      part(1, kFive, "\"aa\""), part(2, kFive - 1, "\"bb\""), part(3, 10, "\"cc\"")};
  s3::CompleteMultipartUpload req;
  req.parts = {named(1, "\"aa\""), named(4, "\"dd\"")};
  EXPECT_EQ(error_of(select_parts(req, stored, {})), ErrorCode::kInvalidPart);
  req.parts = {named(1, "\"ab\"")};
  EXPECT_EQ(error_of(select_parts(req, stored, {})), ErrorCode::kInvalidPart);
  req.parts = {named(0, "\"aa\"")};
  EXPECT_EQ(error_of(select_parts(req, stored, {})), ErrorCode::kInvalidPart);
  req.parts = {named(2, "\"bb\""), named(1, "\"aa\"")};
  EXPECT_EQ(error_of(select_parts(req, stored, {})), ErrorCode::kInvalidPartOrder);
  req.parts = {named(1, "\"aa\""), named(1, "\"aa\"")};
  EXPECT_EQ(error_of(select_parts(req, stored, {})), ErrorCode::kInvalidPartOrder);
  // Part 2 is under 5 MiB and not the last.
  req.parts = {named(1, "\"aa\""), named(2, "\"bb\""), named(3, "\"cc\"")};
  EXPECT_EQ(error_of(select_parts(req, stored, {})), ErrorCode::kEntityTooSmall);
  // ... but may be the last one.
  req.parts = {named(1, "\"aa\""), named(2, "\"bb\"")};
  EXPECT_TRUE(std::holds_alternative<std::vector<const meta::MultipartPart*>>(
      select_parts(req, stored, {})));
}

TEST(MultipartRules, PartChecksumsAreVerified) {
  const auto crc = b64(ChecksumAlgorithm::kCRC32, "part one");
  const std::vector<meta::MultipartPart> stored = {part(1, 8, "\"aa\"", crc)};
  UploadChecksum c{ChecksumAlgorithm::kCRC32, true};
  s3::CompleteMultipartUpload req;
  req.parts = {named(1, "\"aa\"")};
  req.parts[0].checksums.emplace_back(ChecksumAlgorithm::kCRC32, crc);
  EXPECT_TRUE(std::holds_alternative<std::vector<const meta::MultipartPart*>>(
      select_parts(req, stored, c)));
  req.parts[0].checksums[0].second = b64(ChecksumAlgorithm::kCRC32, "another");
  EXPECT_EQ(error_of(select_parts(req, stored, c)), ErrorCode::kInvalidPart);
  // A composite upload with an algorithm needs every part's checksum.
  req.parts[0].checksums.clear();
  EXPECT_EQ(error_of(select_parts(req, stored, c)), ErrorCode::kInvalidRequest);
  // Another algorithm than the part was stored with.
  req.parts[0].checksums.emplace_back(ChecksumAlgorithm::kSHA256,
                                      b64(ChecksumAlgorithm::kSHA256, "part one"));
  EXPECT_EQ(error_of(select_parts(req, stored, c)), ErrorCode::kInvalidPart);
}

TEST(MultipartRules, EtagIsTheMd5OfThePartMd5s) {
  // Known value: S3's ETag of a two-part object with parts "a" x 5 MiB and "b".
  const std::string p1(5 << 20, 'a');
  const std::string p2 = "b";
  util::Md5 m;
  m.update(util::hex_decode(md5_etag(p1).substr(1, 32)).value());
  m.update(util::hex_decode(md5_etag(p2).substr(1, 32)).value());
  const std::string want = "\"" + util::hex_encode(m.digest()) + "-2\"";
  EXPECT_EQ(multipart_etag({md5_etag(p1), md5_etag(p2)}), want);
  EXPECT_EQ(multipart_etag({"\"0cc175b9c0f1b6a831c399e269772661\""}),
            "\"" + util::hex_encode([] {
              util::Md5 x;
              x.update(util::hex_decode("0cc175b9c0f1b6a831c399e269772661").value());
              return x.digest();
            }()) +
                "-1\"");
  EXPECT_FALSE(multipart_etag({"\"not-hex\""}));
}

TEST(MultipartRules, CompositeAndFullObjectChecksums) {
  const std::string p1(1000, 'x');
  const std::string p2(333, 'y');
  for (auto a : {ChecksumAlgorithm::kCRC32, ChecksumAlgorithm::kCRC32C, ChecksumAlgorithm::kSHA1,
                 ChecksumAlgorithm::kSHA256}) {
    const std::string want = util::base64_encode(digest(a, digest(a, p1) + digest(a, p2))) + "-2";
    EXPECT_EQ(composite_checksum(a, {{b64(a, p1), p1.size()}, {b64(a, p2), p2.size()}}), want);
  }
  for (auto a :
       {ChecksumAlgorithm::kCRC32, ChecksumAlgorithm::kCRC32C, ChecksumAlgorithm::kCRC64NVME}) {
    EXPECT_EQ(full_object_checksum(a, {{b64(a, p1), p1.size()}, {b64(a, p2), p2.size()}}),
              b64(a, p1 + p2));
  }
  EXPECT_FALSE(full_object_checksum(ChecksumAlgorithm::kSHA256, {{"x", 1}}));
  EXPECT_FALSE(composite_checksum(ChecksumAlgorithm::kCRC32, {{"not base64!", 1}}));
}

}  // namespace
}  // namespace s3gw::ops
