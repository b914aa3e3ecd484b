#include "util/crc_combine.h"

#include <gtest/gtest.h>

#include <string>

namespace s3gw::util {
namespace {

std::string digest(ChecksumAlgorithm a, std::string_view data) {
  auto h = make_hasher(a);
  h->update(data);
  return h->digest();
}

std::string pattern(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i)
    s[i] = static_cast<char>((i * 131 + seed * 7 + (i >> 7)) & 0xFF);
  return s;
}

TEST(CrcCombine, EqualsTheCrcOfTheConcatenation) {
  for (auto a :
       {ChecksumAlgorithm::kCRC32, ChecksumAlgorithm::kCRC32C, ChecksumAlgorithm::kCRC64NVME}) {
    ASSERT_TRUE(is_combinable(a));
    for (std::size_t la : {0u, 1u, 7u, 4096u, 100000u}) {
      for (std::size_t lb : {0u, 1u, 3u, 65536u, 1048577u}) {
        const std::string x = pattern(la, 1);
        const std::string y = pattern(lb, 2);
        const auto combined = crc_combine(a, digest(a, x), digest(a, y), lb);
        ASSERT_TRUE(combined.has_value());
        EXPECT_EQ(*combined, digest(a, x + y)) << checksum_name(a) << " " << la << "+" << lb;
      }
    }
  }
}

TEST(CrcCombine, FoldsManyParts) {
  const auto a = ChecksumAlgorithm::kCRC64NVME;
  std::string whole;
  std::optional<std::string> acc;
  for (unsigned i = 0; i < 5; ++i) {
    const std::string part = pattern(1000 + i * 37, i);
    whole += part;
    acc = acc ? crc_combine(a, *acc, digest(a, part), part.size()) : digest(a, part);
  }
  EXPECT_EQ(*acc, digest(a, whole));
}

TEST(CrcCombine, RefusesHashesAndWrongSizes) {
  EXPECT_FALSE(is_combinable(ChecksumAlgorithm::kSHA256));
  EXPECT_FALSE(
      crc_combine(ChecksumAlgorithm::kSHA1, "12345678901234567890", "12345678901234567890", 3));
  EXPECT_FALSE(crc_combine(ChecksumAlgorithm::kCRC32, "123", "1234", 3));
}

}  // namespace
}  // namespace s3gw::util
