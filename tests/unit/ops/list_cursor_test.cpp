#include "ops/list_cursor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace s3gw::ops {
namespace {

TEST(PrefixSuccessor, IncrementsTheLastCodePoint) {
  EXPECT_EQ(prefix_successor("a/"), "a0");  // '/' + 1 == '0'
  EXPECT_EQ(prefix_successor("abc"), "abd");
  EXPECT_EQ(prefix_successor("\x7f"), "\xc2\x80");              // U+007F -> U+0080
  EXPECT_EQ(prefix_successor("x\xc3\xa4"), "x\xc3\xa5");        // ä -> å
  EXPECT_EQ(prefix_successor("\xed\x9f\xbf"), "\xee\x80\x80");  // U+D7FF skips the surrogates
  EXPECT_EQ(prefix_successor("a\xf4\x8f\xbf\xbf"), "b");        // trailing U+10FFFF dropped
  EXPECT_EQ(prefix_successor(""), std::nullopt);
  EXPECT_EQ(prefix_successor("\xf4\x8f\xbf\xbf"), std::nullopt);
}

TEST(PrefixSuccessor, BoundsEveryKeyWithThePrefix) {
  // Bytewise (std::string) order is the order PostgreSQL's COLLATE "C" gives.
  const std::vector<std::string> keys = {
      "a/", "a/b", "a/\xf4\x8f\xbf\xbf", "a/\xc3\xa4/x", "a0", "a.", "a", "b"};
  const std::string prefix = "a/";
  const std::string succ = *prefix_successor(prefix);
  for (const auto& k : keys) {
    const bool has_prefix = k.starts_with(prefix);
    EXPECT_EQ(has_prefix, k >= prefix && k < succ) << k;
  }
}

TEST(CommonPrefix, RollsUpAtTheFirstDelimiterAfterThePrefix) {
  EXPECT_EQ(common_prefix_of("a/b/c", "", "/"), "a/");
  EXPECT_EQ(common_prefix_of("a/b/c", "a/", "/"), "a/b/");
  EXPECT_EQ(common_prefix_of("a/b", "a/", "/"), std::nullopt);
  EXPECT_EQ(common_prefix_of("a/b", "", ""), std::nullopt);
  EXPECT_EQ(common_prefix_of("x--y--z", "", "--"), "x--");
  EXPECT_EQ(common_prefix_of("b/c", "a/", "/"), std::nullopt);  // outside the prefix
  // The delimiter must come after the prefix, not inside it.
  EXPECT_EQ(common_prefix_of("a/b", "a/", "a"), std::nullopt);
}

TEST(ListStart, MarkerInsideARolledUpPrefixSkipsThePrefix) {
  auto s = list_start("", "/", "photos/");
  EXPECT_EQ(s.key, "photos0");
  EXPECT_TRUE(s.inclusive);
  s = list_start("", "/", "photos/2024/x.jpg");
  EXPECT_EQ(s.key, "photos0");
  s = list_start("", "/", "readme.txt");
  EXPECT_EQ(s.key, "readme.txt");
  EXPECT_FALSE(s.inclusive);
  s = list_start("", "", "photos/");
  EXPECT_EQ(s.key, "photos/");
  EXPECT_FALSE(s.inclusive);
}

}  // namespace
}  // namespace s3gw::ops
