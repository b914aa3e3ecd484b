#include "util/access_key.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "util/encoding.h"

namespace s3gw::util {
namespace {

bool all_base32(std::string_view s) {
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) return false;
  }
  return true;
}

TEST(AccessKey, RegionCodesFromTheTable) {
  EXPECT_EQ(region_code("fi-hel"), "FH");
  EXPECT_EQ(region_code("de-fra"), "DF");
}

TEST(AccessKey, RegionCodeFallbacks) {
  EXPECT_EQ(region_code("it-mil"), "IM");
  EXPECT_EQ(region_code("Pl-Waw"), "PW");
  // Names without two letter-led parts get a stable code from a hash.
  for (std::string_view r : {"local", "1-2", "", "x-"}) {
    const std::string c = region_code(r);
    EXPECT_EQ(c.size(), kRegionCodeLength) << r;
    EXPECT_TRUE(all_base32(c)) << r;
    EXPECT_EQ(c, region_code(r)) << r;
  }
}

TEST(AccessKey, IdFormat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = mint_access_key_id("fi-hel");
    ASSERT_EQ(id.size(), kAccessKeyIdLength);
    EXPECT_TRUE(id.starts_with("S3GFH")) << id;
    EXPECT_TRUE(all_base32(id)) << id;
    EXPECT_EQ(region_code_of(id), "FH");
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(mint_access_key_id("de-fra").substr(kRegionCodeOffset, kRegionCodeLength), "DF");
}

TEST(AccessKey, RandomPartUsesTheWholeAlphabet) {
  std::set<char> chars;
  for (int i = 0; i < 200; ++i) {
    const std::string id = mint_access_key_id("fi-hel");
    chars.insert(id.begin() + 5, id.end());
  }
  EXPECT_EQ(chars.size(), 32u);
}

TEST(AccessKey, RegionCodeOfRejectsForeignIds) {
  EXPECT_FALSE(region_code_of("AKIAIOSFODNN7EXAMPLE").has_value());  // an AWS id
  EXPECT_FALSE(region_code_of("S3GFH").has_value());
  EXPECT_FALSE(region_code_of("S3GFHAAAAAAAAAAAAAAAA").has_value());  // 21 characters
  EXPECT_FALSE(region_code_of("S3GFHaaaaaaaaaaaaaaa").has_value());   // lowercase
  EXPECT_FALSE(region_code_of("S3GFH000000000000000").has_value());   // 0 is not base32
  EXPECT_EQ(region_code_of("S3GDFAAAAAAAAAAAAAAA"), "DF");
}

TEST(AccessKey, SecretFormat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string s = mint_secret_access_key();
    ASSERT_EQ(s.size(), kSecretAccessKeyLength);
    EXPECT_EQ(s.find('='), std::string::npos) << s;
    auto raw = base64_decode(s);
    ASSERT_TRUE(raw.has_value()) << s;
    EXPECT_EQ(raw->size(), 30u);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace s3gw::util
