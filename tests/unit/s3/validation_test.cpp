#include "s3/validation.h"

#include <gtest/gtest.h>

#include <string>

namespace s3gw::s3 {
namespace {

struct NameCase {
  std::string input;
  bool ok;
  std::string reason_part;  // a fragment the reason must contain when !ok
};

void PrintTo(const NameCase& c, std::ostream* os) {
  *os << '"' << c.input << '"';
}

class BucketNameTest : public ::testing::TestWithParam<NameCase> {};

TEST_P(BucketNameTest, Rule) {
  const NameCase& c = GetParam();
  const Validation v = validate_bucket_name(c.input);
  EXPECT_EQ(v.ok, c.ok) << v.reason;
  EXPECT_EQ(static_cast<bool>(v), c.ok);
  if (!c.ok) {
    EXPECT_EQ(v.code, ErrorCode::kInvalidBucketName);
    EXPECT_NE(v.reason.find(c.reason_part), std::string::npos) << v.reason;
    EXPECT_EQ(v.error().code, ErrorCode::kInvalidBucketName);
    EXPECT_EQ(v.error().message, v.reason);
  } else {
    EXPECT_TRUE(v.reason.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, BucketNameTest,
    ::testing::Values(
        // Valid names.
        NameCase{"abc", true, ""}, NameCase{"my-bucket", true, ""},
        NameCase{"my.bucket.name", true, ""}, NameCase{"123", true, ""},
        NameCase{"a1b2c3", true, ""}, NameCase{"a-b.c-d", true, ""},
        NameCase{"a.-b", true, ""},  // AWS's current rules allow a dash next to a dot
        NameCase{std::string(63, 'a'), true, ""}, NameCase{"1.2.3", true, ""},
        NameCase{"1.2.3.4.5", true, ""}, NameCase{"1.2.3.a", true, ""},
        NameCase{"192.168.5.4x", true, ""}, NameCase{"xn-a", true, ""},
        NameCase{"axn--b", true, ""}, NameCase{"sthree", true, ""},
        NameCase{"my-s3alias-bucket", true, ""}, NameCase{"bucket--x-s3a", true, ""},
        NameCase{"mrap", true, ""}, NameCase{"a.mrapx", true, ""},
        // Length.
        NameCase{"", false, "between 3 and 63"}, NameCase{"a", false, "between 3 and 63"},
        NameCase{"ab", false, "between 3 and 63"},
        NameCase{std::string(64, 'a'), false, "between 3 and 63"},
        // Characters.
        NameCase{"MyBucket", false, "lowercase"}, NameCase{"my_bucket", false, "lowercase"},
        NameCase{"my bucket", false, "lowercase"}, NameCase{"my/bucket", false, "lowercase"},
        NameCase{"bucket\xc3\xa9", false, "lowercase"}, NameCase{"abc!", false, "lowercase"},
        NameCase{std::string("ab\0c", 4), false, "lowercase"},
        // First and last character.
        NameCase{"-abc", false, "begin and end"}, NameCase{"abc-", false, "begin and end"},
        NameCase{".abc", false, "begin and end"}, NameCase{"abc.", false, "begin and end"},
        // Adjacent dots.
        NameCase{"my..bucket", false, "two adjacent dots"},
        // IP addresses.
        NameCase{"192.168.5.4", false, "IP address"}, NameCase{"1.1.1.1", false, "IP address"},
        NameCase{"999.999.999.999", false, "IP address"},
        NameCase{"10.0.0.255", false, "IP address"},
        // Reserved prefixes.
        NameCase{"xn--bucket", false, "prefix 'xn--'"},
        NameCase{"sthree-bucket", false, "prefix 'sthree-'"},
        NameCase{"sthree-configurator", false, "prefix 'sthree-'"},
        NameCase{"sthree-configurator-x", false, "prefix 'sthree-'"},
        NameCase{"amzn-s3-demo-bucket", false, "prefix 'amzn-s3-demo-'"},
        // Reserved suffixes.
        NameCase{"bucket-s3alias", false, "suffix '-s3alias'"},
        NameCase{"bucket--ol-s3", false, "suffix '--ol-s3'"},
        NameCase{"bucket.mrap", false, "suffix '.mrap'"},
        NameCase{"bucket--x-s3", false, "suffix '--x-s3'"},
        NameCase{"bucket--table-s3", false, "suffix '--table-s3'"}));

struct KeyCase {
  std::string input;
  bool ok;
  ErrorCode code;
};

void PrintTo(const KeyCase& c, std::ostream* os) {
  *os << '"' << (c.input.size() > 40 ? c.input.substr(0, 40) + "..." : c.input) << '"';
}

class ObjectKeyTest : public ::testing::TestWithParam<KeyCase> {};

TEST_P(ObjectKeyTest, Rule) {
  const KeyCase& c = GetParam();
  const Validation v = validate_object_key(c.input);
  EXPECT_EQ(v.ok, c.ok) << v.reason;
  if (!c.ok) {
    EXPECT_EQ(v.code, c.code);
    EXPECT_FALSE(v.reason.empty());
  }
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

constexpr ErrorCode kArg = ErrorCode::kInvalidArgument;
constexpr ErrorCode kLong = ErrorCode::kKeyTooLongError;

INSTANTIATE_TEST_SUITE_P(
    Table, ObjectKeyTest,
    ::testing::Values(
        // Ordinary keys, including every printable ASCII character and control characters.
        KeyCase{"a", true, kArg}, KeyCase{"photos/2024/cat.jpg", true, kArg},
        KeyCase{" !\"#$%&'()*+,-.:;<=>?@[\\]^_`{|}~", true, kArg}, KeyCase{"tab\there", true, kArg},
        KeyCase{"line\nbreak\r", true, kArg}, KeyCase{"\x01\x1f\x7f", true, kArg},
        KeyCase{"/leading/slash", true, kArg}, KeyCase{"trailing/", true, kArg},
        KeyCase{"double//slash", true, kArg}, KeyCase{"/", true, kArg},
        // Dots that are not a whole segment.
        KeyCase{"a..b", true, kArg}, KeyCase{".hidden", true, kArg}, KeyCase{"...", true, kArg},
        KeyCase{"a/.b/c", true, kArg}, KeyCase{"a/..b", true, kArg}, KeyCase{"a/b..", true, kArg},
        KeyCase{"a/.../b", true, kArg}, KeyCase{".a.", true, kArg},
        // Dot segments.
        KeyCase{".", false, kArg}, KeyCase{"..", false, kArg}, KeyCase{"./a", false, kArg},
        KeyCase{"./", false, kArg}, KeyCase{"../a", false, kArg}, KeyCase{"a/.", false, kArg},
        KeyCase{"a/..", false, kArg}, KeyCase{"a/./b", false, kArg}, KeyCase{"a/../b", false, kArg},
        KeyCase{"/./", false, kArg}, KeyCase{"a//../b", false, kArg},
        // Length, in bytes.
        KeyCase{std::string(1024, 'k'), true, kArg}, KeyCase{std::string(1025, 'k'), false, kLong},
        KeyCase{repeat("\xf0\x9f\x98\x80", 256), true, kArg},  // 256 characters, 1024 bytes
        KeyCase{repeat("\xf0\x9f\x98\x80", 256) + "a", false, kLong}, KeyCase{"", false, kArg},
        // NUL.
        KeyCase{std::string("a\0b", 3), false, kArg}, KeyCase{std::string("\0", 1), false, kArg},
        // UTF-8: valid sequences of every length, boundaries included.
        KeyCase{"caf\xc3\xa9", true, kArg},                 // U+00E9
        KeyCase{"\xc2\x80", true, kArg},                    // U+0080, smallest 2-byte
        KeyCase{"\xdf\xbf", true, kArg},                    // U+07FF
        KeyCase{"\xe0\xa0\x80", true, kArg},                // U+0800, smallest 3-byte
        KeyCase{"\xed\x9f\xbf", true, kArg},                // U+D7FF, below the surrogates
        KeyCase{"\xee\x80\x80", true, kArg},                // U+E000, above the surrogates
        KeyCase{"\xef\xbf\xbf", true, kArg},                // U+FFFF
        KeyCase{"\xf0\x90\x80\x80", true, kArg},            // U+10000, smallest 4-byte
        KeyCase{"\xf0\x9f\x98\x80", true, kArg},            // U+1F600
        KeyCase{"\xf4\x8f\xbf\xbf", true, kArg},            // U+10FFFF, the largest
        KeyCase{"\xed\x95\x9c\xea\xb8\x80/x", true, kArg},  // Hangul
        // UTF-8: invalid.
        KeyCase{"\x80", false, kArg},                      // lone continuation byte
        KeyCase{"a\xbf", false, kArg},                     // continuation byte after ASCII
        KeyCase{"\xc3", false, kArg},                      // truncated 2-byte
        KeyCase{"\xc3(", false, kArg},                     // bad continuation
        KeyCase{"\xe2\x82", false, kArg},                  // truncated 3-byte
        KeyCase{"\xf0\x9f\x98", false, kArg},              // truncated 4-byte
        KeyCase{"\xc0\xaf", false, kArg},                  // overlong '/'
        KeyCase{"\xc1\xbf", false, kArg},                  // overlong
        KeyCase{"\xc0\x80", false, kArg},                  // overlong NUL (modified UTF-8)
        KeyCase{"\xe0\x80\xaf", false, kArg},              // overlong 3-byte '/'
        KeyCase{"\xe0\x9f\xbf", false, kArg},              // overlong U+07FF
        KeyCase{"\xf0\x80\x80\xaf", false, kArg},          // overlong 4-byte '/'
        KeyCase{"\xf0\x8f\xbf\xbf", false, kArg},          // overlong U+FFFF
        KeyCase{"\xed\xa0\x80", false, kArg},              // U+D800, high surrogate
        KeyCase{"\xed\xbf\xbf", false, kArg},              // U+DFFF, low surrogate
        KeyCase{"\xed\xa0\xbd\xed\xb8\x80", false, kArg},  // CESU-8 surrogate pair
        KeyCase{"\xf4\x90\x80\x80", false, kArg},          // U+110000
        KeyCase{"\xf5\x80\x80\x80", false, kArg},          // lead byte F5
        KeyCase{"\xf8\x88\x80\x80\x80", false, kArg},      // 5-byte form
        KeyCase{"\xfe", false, kArg}, KeyCase{"\xff", false, kArg},
        KeyCase{"\xe2\x28\xa1", false, kArg},        // bad second byte of 3
        KeyCase{"\xe2\x82\x28", false, kArg},        // bad third byte of 3
        KeyCase{"\xf0\x9f\x98\x28", false, kArg}));  // bad fourth byte of 4

TEST(ObjectKeyTest, TooLongWinsOverOtherProblems) {
  // A key both too long and malformed reports the length: it is checked first.
  EXPECT_EQ(validate_object_key(std::string(1025, '\xff')).code, ErrorCode::kKeyTooLongError);
}

TEST(ObjectKeyTest, DotSegmentReasonExplains) {
  const Validation v = validate_object_key("a/../b");
  EXPECT_NE(v.reason.find("'..'"), std::string::npos) << v.reason;
}

TEST(Utf8Test, Empty) {
  EXPECT_TRUE(is_valid_utf8(""));
}

struct IdCase {
  std::string input;
  bool ok;
};

void PrintTo(const IdCase& c, std::ostream* os) {
  *os << '"' << c.input << '"';
}

class CustomerIdTest : public ::testing::TestWithParam<IdCase> {};

TEST_P(CustomerIdTest, Rule) {
  const IdCase& c = GetParam();
  const Validation v = validate_customer_id(c.input);
  EXPECT_EQ(v.ok, c.ok) << v.reason;
  if (!c.ok) {
    EXPECT_EQ(v.code, ErrorCode::kInvalidArgument);
    EXPECT_FALSE(v.reason.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Table, CustomerIdTest,
                         ::testing::Values(IdCase{"a", true}, IdCase{"customer-1", true},
                                           IdCase{"Acme_Corp.EU", true}, IdCase{"0123456789", true},
                                           IdCase{"-._", true}, IdCase{std::string(64, 'c'), true},
                                           IdCase{"", false}, IdCase{std::string(65, 'c'), false},
                                           IdCase{"acme corp", false}, IdCase{"acme/corp", false},
                                           IdCase{"acme:corp", false}, IdCase{"acme\ncorp", false},
                                           IdCase{std::string("a\0b", 3), false},
                                           IdCase{"\xc3\xa9", false}, IdCase{"a+b", false},
                                           IdCase{"a%20b", false}));

}  // namespace
}  // namespace s3gw::s3
