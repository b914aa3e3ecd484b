#include "s3/uri_encode.h"

#include <gtest/gtest.h>

#include <string>

namespace s3gw::s3 {
namespace {

struct EncodeCase {
  std::string key;
  std::string encoded;
};

void PrintTo(const EncodeCase& c, std::ostream* os) {
  *os << c.encoded;
}

class UrlEncodeKeyTest : public ::testing::TestWithParam<EncodeCase> {};

TEST_P(UrlEncodeKeyTest, EncodesAndRoundTrips) {
  const EncodeCase& c = GetParam();
  const std::string encoded = url_encode_key(c.key);
  EXPECT_EQ(encoded, c.encoded);
  // botocore decodes with urllib.parse.unquote_plus; other SDKs decode without '+' handling.
  EXPECT_EQ(uri_decode(encoded, true), c.key);
  EXPECT_EQ(uri_decode(encoded, false), c.key);
}

INSTANTIATE_TEST_SUITE_P(
    Table, UrlEncodeKeyTest,
    ::testing::Values(
        EncodeCase{"", ""}, EncodeCase{"plain", "plain"},
        EncodeCase{"AZaz09-._~", "AZaz09-._~"},  // unreserved
        EncodeCase{"a/b/c/", "a/b/c/"},          // '/' stays, as in AWS listings
        EncodeCase{"a b", "a%20b"}, EncodeCase{"a+b", "a%2Bb"},
        EncodeCase{"a+b c", "a%2Bb%20c"},  // '+' and ' ' stay distinct
        EncodeCase{"100%.csv", "100%25.csv"}, EncodeCase{"%20", "%2520"},
        EncodeCase{"foo+1/", "foo%2B1/"}, EncodeCase{"quux ab/", "quux%20ab/"},
        EncodeCase{"asdf+b", "asdf%2Bb"}, EncodeCase{"caf\xc3\xa9", "caf%C3%A9"},
        EncodeCase{"\xed\x95\x9c\xea\xb8\x80/x.txt", "%ED%95%9C%EA%B8%80/x.txt"},
        EncodeCase{"\xf0\x9f\x98\x80", "%F0%9F%98%80"},
        EncodeCase{"\x01\t\n\r\x1f\x7f", "%01%09%0A%0D%1F%7F"},
        EncodeCase{std::string("a\0b", 3), "a%00b"},
        EncodeCase{"\xff\xfe", "%FF%FE"},  // arbitrary bytes too
        EncodeCase{"!\"#$&'()*,:;<=>?@[\\]^`{|}",
                   "%21%22%23%24%26%27%28%29%2A%2C%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D"}));

TEST(UriEncodeTest, EncodeSlashForSigV4) {
  EXPECT_EQ(uri_encode("a/b c", true), "a%2Fb%20c");
  EXPECT_EQ(uri_encode("a/b c", false), "a/b%20c");
  EXPECT_EQ(uri_encode("~-._", true), "~-._");
}

TEST(UriEncodeTest, EveryByteRoundTrips) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  for (bool slash : {false, true}) {
    const std::string encoded = uri_encode(all, slash);
    for (char c : encoded) {
      const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
                        c == '%' || (c == '/' && !slash);
      EXPECT_TRUE(safe) << static_cast<int>(c);
    }
    EXPECT_EQ(uri_decode(encoded, true), all);
    EXPECT_EQ(uri_decode(encoded, false), all);
  }
}

struct DecodeCase {
  std::string text;
  bool plus_as_space;
  std::optional<std::string> decoded;
};

void PrintTo(const DecodeCase& c, std::ostream* os) {
  *os << c.text << (c.plus_as_space ? " (query)" : " (path)");
}

class UriDecodeTest : public ::testing::TestWithParam<DecodeCase> {};

TEST_P(UriDecodeTest, Decodes) {
  const DecodeCase& c = GetParam();
  EXPECT_EQ(uri_decode(c.text, c.plus_as_space), c.decoded);
}

INSTANTIATE_TEST_SUITE_P(
    Table, UriDecodeTest,
    ::testing::Values(DecodeCase{"", false, ""}, DecodeCase{"abc", false, "abc"},
                      DecodeCase{"a%20b", false, "a b"}, DecodeCase{"a+b", false, "a+b"},
                      DecodeCase{"a+b", true, "a b"}, DecodeCase{"a%2Bb", true, "a+b"},
                      DecodeCase{"a%2bb", true, "a+b"},  // lowercase hex
                      DecodeCase{"%2F", false, "/"}, DecodeCase{"%25", false, "%"},
                      DecodeCase{"%2525", false, "%25"},  // decodes once
                      DecodeCase{"%C3%A9", false, "\xc3\xa9"},
                      DecodeCase{"%00", false, std::string("\0", 1)},
                      DecodeCase{"%FF", false, "\xff"}, DecodeCase{"a/b", false, "a/b"},
                      DecodeCase{"%", false, std::nullopt}, DecodeCase{"%2", false, std::nullopt},
                      DecodeCase{"a%", true, std::nullopt}, DecodeCase{"a%2", true, std::nullopt},
                      DecodeCase{"%G0", false, std::nullopt},
                      DecodeCase{"%0G", false, std::nullopt}, DecodeCase{"%%", false, std::nullopt},
                      DecodeCase{"% 1", false, std::nullopt},
                      DecodeCase{"%-1", false, std::nullopt}, DecodeCase{"%+1", true, std::nullopt},
                      DecodeCase{"ok%20then%zz", false, std::nullopt}));

}  // namespace
}  // namespace s3gw::s3
