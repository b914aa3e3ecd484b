#include "placement/bucket_hash.h"

#include <gtest/gtest.h>

#include <set>

#include "s3/validation.h"

namespace s3gw::placement {
namespace {

TEST(BucketHash, IsDeterministicAndShaped) {
  const auto a = backend_bucket_name("salt", "cust", "photos", "filesystem");
  EXPECT_EQ(a, backend_bucket_name("salt", "cust", "photos", "filesystem"));
  ASSERT_EQ(a.size(), 22u) << a;  // "s3gw-" + 8 hex + "-" + 8 characters of the provider
  EXPECT_EQ(a.substr(0, 5), "s3gw-");
  EXPECT_EQ(a.substr(13), "-filesyst");
  EXPECT_EQ(a.substr(5, 8).find_first_not_of("0123456789abcdef"), std::string::npos) << a;
}

TEST(BucketHash, DependsOnEveryInput) {
  std::set<std::string> names = {
      backend_bucket_name("salt", "cust", "photos", "fs"),
      backend_bucket_name("salt2", "cust", "photos", "fs"),
      backend_bucket_name("salt", "cust2", "photos", "fs"),
      backend_bucket_name("salt", "cust", "photos2", "fs"),
      backend_bucket_name("salt", "cust", "photos", "fs", 1),
      // Field boundaries matter: ("ab", "c") differs from ("a", "bc").
      backend_bucket_name("salt", "ab", "cde", "fs"),
      backend_bucket_name("salt", "abc", "de", "fs"),
  };
  EXPECT_EQ(names.size(), 7u);
}

TEST(BucketHash, AlwaysAValidBucketName) {
  for (const char* provider : {"UpCloud", "Hetzner Storage", "st", "", "---", "ÄÖ"}) {
    const auto n = backend_bucket_name("s", "c", "b", provider);
    EXPECT_TRUE(s3::validate_bucket_name(n).ok) << n;
  }
}

TEST(BucketHash, CandidatesAreDistinctAndValid) {
  std::set<std::string> names;
  for (unsigned attempt = 0; attempt < 64; ++attempt) {
    const auto n = backend_bucket_name("salt", "cust", "photos", "storj", attempt);
    EXPECT_TRUE(s3::validate_bucket_name(n).ok) << n;
    names.insert(n);
  }
  EXPECT_EQ(names.size(), 64u);  // 32-bit digests: distinct in practice for one bucket
}

TEST(BucketHash, MappingKeyIsAKeyedHashApartFromNames) {
  const auto k = bucket_mapping_key("salt", "cust", "photos");
  EXPECT_EQ(k.size(), 64u);
  EXPECT_EQ(k, bucket_mapping_key("salt", "cust", "photos"));
  EXPECT_NE(k, bucket_mapping_key("salt2", "cust", "photos"));
  EXPECT_NE(k, bucket_mapping_key("salt", "cus", "tphotos"));
  // Not the digest that names the backend bucket.
  const auto name = backend_bucket_name("salt", "cust", "photos", "fs");
  EXPECT_EQ(k.find(name.substr(5, 8)), std::string::npos);
  EXPECT_EQ(k.find("photos"), std::string::npos);
}

}  // namespace
}  // namespace s3gw::placement
