#include <gtest/gtest.h>

#include "s3/http_date.h"

namespace s3gw::s3 {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using TimePoint = std::chrono::system_clock::time_point;

TimePoint at(long long unix_ms) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(milliseconds(unix_ms)));
}

// 2030-01-01T00:00:00Z
constexpr long long k2030 = 1893456000000LL;

TEST(ParseIso8601Test, AcceptsWhatClientsSend) {
  EXPECT_EQ(parse_iso8601("2030-01-01T00:00:00Z"), at(k2030));
  EXPECT_EQ(parse_iso8601("2030-01-01T00:00:00.000Z"), at(k2030));
  EXPECT_EQ(parse_iso8601("2030-01-01T00:00:00.5Z"), at(k2030 + 500));
  EXPECT_EQ(parse_iso8601("2030-01-01T00:00:00.123456Z"), at(k2030 + 123));
  EXPECT_EQ(parse_iso8601("2030-01-01T02:00:00+02:00"), at(k2030));
  EXPECT_EQ(parse_iso8601("2029-12-31T23:00:00-0100"), at(k2030));
  EXPECT_EQ(parse_iso8601("20300101T000000Z"), at(k2030));
  EXPECT_EQ(parse_iso8601("2030-01-01t00:00:00z"), at(k2030));
}

TEST(ParseIso8601Test, RefusesTheRest) {
  for (const char* bad :
       {"", "2030-01-01", "2030-01-01T00:00:00", "2030-01-01 00:00:00Z", "2030-13-01T00:00:00Z",
        "2030-02-30T00:00:00Z", "2030-01-01T24:00:00Z", "2030-01-01T00:00:00.Z",
        "2030-01-01T00:00:00Zjunk", "2030-01-01T00:00:00+25:00", "Tue, 01 Jan 2030 00:00:00 GMT",
        "2030-1-01T00:00:00Z"}) {
    EXPECT_FALSE(parse_iso8601(bad).has_value()) << bad;
  }
}

TEST(ParseIso8601Test, ClampsBeyondTheClock) {
  EXPECT_EQ(parse_iso8601("9999-12-31T23:59:59Z"), TimePoint::max());
  EXPECT_EQ(parse_iso8601("9999-12-31T23:59:59.999-12:00"), TimePoint::max());
}

TEST(ParseIso8601Test, RoundTripsFormat) {
  const auto t = at(k2030 + 86'400'000LL * 400 + 1234);
  EXPECT_EQ(parse_iso8601(format_iso8601(t)), t);
}

}  // namespace
}  // namespace s3gw::s3
