#include "s3/range.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace s3gw::s3 {
namespace {

using Kind = RangeResult::Kind;

struct RangeCase {
  std::string header;
  std::uint64_t size;
  Kind kind;
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

void PrintTo(const RangeCase& c, std::ostream* os) {
  *os << '"' << c.header << "\" size " << c.size;
}

class RangeTest : public ::testing::TestWithParam<RangeCase> {};

TEST_P(RangeTest, Resolves) {
  const RangeCase& c = GetParam();
  const RangeResult r = parse_range(c.header, c.size);
  ASSERT_EQ(r.kind, c.kind);
  if (c.kind == Kind::kSatisfiable) {
    EXPECT_EQ(r.first, c.first);
    EXPECT_EQ(r.last(), c.last);
    EXPECT_EQ(r.length, c.last - c.first + 1);
    EXPECT_LT(r.last(), c.size);
  }
}

const std::string kHuge = "99999999999999999999999";  // > 2^64
const std::string kMax = std::to_string(std::numeric_limits<std::uint64_t>::max());

INSTANTIATE_TEST_SUITE_P(
    Table, RangeTest,
    ::testing::Values(
        // No header, or one to ignore: serve the whole object.
        RangeCase{"", 100, Kind::kNone}, RangeCase{"   ", 100, Kind::kNone},
        RangeCase{"bytes", 100, Kind::kNone}, RangeCase{"bytes=", 100, Kind::kNone},
        RangeCase{"bytes=-", 100, Kind::kNone}, RangeCase{"bytes=abc", 100, Kind::kNone},
        RangeCase{"bytes=a-b", 100, Kind::kNone}, RangeCase{"bytes=1-a", 100, Kind::kNone},
        RangeCase{"bytes=10", 100, Kind::kNone}, RangeCase{"items=0-10", 100, Kind::kNone},
        RangeCase{"bytes 0-10", 100, Kind::kNone}, RangeCase{"0-10", 100, Kind::kNone},
        RangeCase{"bytes=+1-5", 100, Kind::kNone}, RangeCase{"bytes=-+5", 100, Kind::kNone},
        RangeCase{"bytes=--5", 100, Kind::kNone}, RangeCase{"bytes=1-2-3", 100, Kind::kNone},
        RangeCase{"bytes=1 0-20", 100, Kind::kNone}, RangeCase{"bytes=0x10-20", 100, Kind::kNone},
        RangeCase{"bytes=5-3", 100, Kind::kNone},  // last < first: invalid, so ignored
        RangeCase{"bytes=200-100", 100, Kind::kNone},
        // Several ranges: S3 serves one range only and ignores a set.
        RangeCase{"bytes=0-1,5-6", 100, Kind::kNone}, RangeCase{"bytes=0-1, 5-", 100, Kind::kNone},
        RangeCase{"bytes=0-1,", 100, Kind::kNone},
        // Numbers too large for 64 bits are invalid syntax, not a wrap-around.
        RangeCase{"bytes=" + kHuge + "-", 100, Kind::kNone},
        RangeCase{"bytes=0-" + kHuge, 100, Kind::kNone},
        RangeCase{"bytes=-" + kHuge, 100, Kind::kNone},
        RangeCase{"bytes=0-18446744073709551616", 100, Kind::kNone},
        // First-last.
        RangeCase{"bytes=0-0", 100, Kind::kSatisfiable, 0, 0},
        RangeCase{"bytes=0-99", 100, Kind::kSatisfiable, 0, 99},
        RangeCase{"bytes=10-19", 100, Kind::kSatisfiable, 10, 19},
        RangeCase{"bytes=99-99", 100, Kind::kSatisfiable, 99, 99},
        RangeCase{"bytes=50-150", 100, Kind::kSatisfiable, 50, 99},  // last clamped
        RangeCase{"bytes=0-" + kMax, 100, Kind::kSatisfiable, 0, 99},
        RangeCase{"bytes=100-100", 100, Kind::kUnsatisfiable},
        RangeCase{"bytes=100-200", 100, Kind::kUnsatisfiable},
        RangeCase{"bytes=" + kMax + "-" + kMax, 100, Kind::kUnsatisfiable},
        // First-.
        RangeCase{"bytes=0-", 100, Kind::kSatisfiable, 0, 99},
        RangeCase{"bytes=42-", 100, Kind::kSatisfiable, 42, 99},
        RangeCase{"bytes=99-", 100, Kind::kSatisfiable, 99, 99},
        RangeCase{"bytes=100-", 100, Kind::kUnsatisfiable},
        RangeCase{"bytes=" + kMax + "-", 100, Kind::kUnsatisfiable},
        // Suffix.
        RangeCase{"bytes=-1", 100, Kind::kSatisfiable, 99, 99},
        RangeCase{"bytes=-20", 100, Kind::kSatisfiable, 80, 99},
        RangeCase{"bytes=-100", 100, Kind::kSatisfiable, 0, 99},
        RangeCase{"bytes=-150", 100, Kind::kSatisfiable, 0, 99},  // longer than the object
        RangeCase{"bytes=-" + kMax, 100, Kind::kSatisfiable, 0, 99},
        RangeCase{"bytes=-0", 100, Kind::kUnsatisfiable},
        RangeCase{"bytes=-00", 100, Kind::kUnsatisfiable},
        // Whitespace and case tolerance.
        RangeCase{"  bytes=0-9  ", 100, Kind::kSatisfiable, 0, 9},
        RangeCase{"bytes = 0 - 9", 100, Kind::kSatisfiable, 0, 9},
        RangeCase{"bytes=\t5-\t", 100, Kind::kSatisfiable, 5, 99},
        RangeCase{"bytes= -5", 100, Kind::kSatisfiable, 95, 99},
        RangeCase{"Bytes=0-9", 100, Kind::kSatisfiable, 0, 9},
        RangeCase{"BYTES=0-9", 100, Kind::kSatisfiable, 0, 9},
        RangeCase{"bytes=007-010", 100, Kind::kSatisfiable, 7, 10},  // leading zeros
        // A one-byte object.
        RangeCase{"bytes=0-", 1, Kind::kSatisfiable, 0, 0},
        RangeCase{"bytes=0-0", 1, Kind::kSatisfiable, 0, 0},
        RangeCase{"bytes=-1", 1, Kind::kSatisfiable, 0, 0},
        RangeCase{"bytes=-5", 1, Kind::kSatisfiable, 0, 0},
        RangeCase{"bytes=1-", 1, Kind::kUnsatisfiable},
        // An empty object: every first-byte range is unsatisfiable (as AWS answers); a
        // non-zero suffix serves the whole, empty object.
        RangeCase{"bytes=0-", 0, Kind::kUnsatisfiable},
        RangeCase{"bytes=0-0", 0, Kind::kUnsatisfiable},
        RangeCase{"bytes=0-100", 0, Kind::kUnsatisfiable},
        RangeCase{"bytes=1-2", 0, Kind::kUnsatisfiable},
        RangeCase{"bytes=-0", 0, Kind::kUnsatisfiable}, RangeCase{"bytes=-1", 0, Kind::kNone},
        RangeCase{"bytes=-10", 0, Kind::kNone}, RangeCase{"", 0, Kind::kNone},
        RangeCase{"bytes=x", 0, Kind::kNone},
        // Objects near the 64-bit limit.
        RangeCase{"bytes=-10", std::numeric_limits<std::uint64_t>::max(), Kind::kSatisfiable,
                  std::numeric_limits<std::uint64_t>::max() - 10,
                  std::numeric_limits<std::uint64_t>::max() - 1},
        RangeCase{"bytes=0-", std::numeric_limits<std::uint64_t>::max(), Kind::kSatisfiable, 0,
                  std::numeric_limits<std::uint64_t>::max() - 1}));

TEST(ContentRangeTest, Formats) {
  EXPECT_EQ(content_range(0, 99, 100), "bytes 0-99/100");
  EXPECT_EQ(content_range(5, 5, 6), "bytes 5-5/6");
  EXPECT_EQ(content_range(0, 18446744073709551614ULL, 18446744073709551615ULL),
            "bytes 0-18446744073709551614/18446744073709551615");
  EXPECT_EQ(content_range_unsatisfied(100), "bytes */100");
  EXPECT_EQ(content_range_unsatisfied(0), "bytes */0");
}

TEST(ContentRangeTest, FromParsedRange) {
  const RangeResult r = parse_range("bytes=-20", 100);
  EXPECT_EQ(content_range(r.first, r.last(), 100), "bytes 80-99/100");
}

}  // namespace
}  // namespace s3gw::s3
