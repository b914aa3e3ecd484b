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

}  // namespace
}  // namespace s3gw::placement
