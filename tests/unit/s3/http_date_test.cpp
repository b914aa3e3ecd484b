#include "s3/http_date.h"

#include <gtest/gtest.h>

#include <clocale>
#include <string>

namespace s3gw::s3 {
namespace {

using std::chrono::system_clock;
using TimePoint = system_clock::time_point;

TimePoint unix_seconds(std::int64_t s) {
  return TimePoint(std::chrono::seconds(s));
}

constexpr std::int64_t k1994 = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT

struct DateCase {
  std::string text;
  std::optional<std::int64_t> unix;  // nullopt: must not parse
};

void PrintTo(const DateCase& c, std::ostream* os) {
  *os << '"' << c.text << '"';
}

class ParseHttpDateTest : public ::testing::TestWithParam<DateCase> {};

TEST_P(ParseHttpDateTest, Parses) {
  const DateCase& c = GetParam();
  const auto t = parse_http_date(c.text);
  if (!c.unix) {
    EXPECT_FALSE(t.has_value());
  } else {
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(*t, unix_seconds(*c.unix));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseHttpDateTest,
    ::testing::Values(
        // The three forms of RFC 9110.
        DateCase{"Sun, 06 Nov 1994 08:49:37 GMT", k1994},
        DateCase{"Sunday, 06-Nov-94 08:49:37 GMT", k1994},
        DateCase{"Sun Nov  6 08:49:37 1994", k1994}, DateCase{"Sun Nov 06 08:49:37 1994", k1994},
        // Leniencies.
        DateCase{"  Sun, 06 Nov 1994 08:49:37 GMT  ", k1994},
        DateCase{"Sun,  06  Nov 1994 08:49:37   GMT", k1994},
        DateCase{"sun, 06 nov 1994 08:49:37 gmt", k1994},
        DateCase{"SUN, 06 NOV 1994 08:49:37 GMT", k1994},
        DateCase{"Sun, 6 Nov 1994 08:49:37 GMT", k1994},
        DateCase{"Sun, 06 Nov 1994 08:49:37 UTC", k1994},
        DateCase{"Sun, 06 Nov 94 08:49:37 GMT", k1994},  // RFC 822 two-digit year
        DateCase{"Sunday, 06-Nov-1994 08:49:37 GMT", k1994},
        DateCase{"Sunday, 6-Nov-94 08:49:37 GMT", k1994},
        // The weekday is spelled right but not checked against the date.
        DateCase{"Mon, 06 Nov 1994 08:49:37 GMT", k1994},
        DateCase{"Sunday, 06 Nov 1994 08:49:37 GMT", k1994},
        // Epoch, before the epoch, leap days, far future.
        DateCase{"Thu, 01 Jan 1970 00:00:00 GMT", 0}, DateCase{"Wed, 31 Dec 1969 23:59:59 GMT", -1},
        DateCase{"Sat, 29 Oct 1994 19:43:31 GMT", 783459811},
        DateCase{"Tue, 29 Feb 2000 12:00:00 GMT", 951825600},
        DateCase{"Thu, 29 Feb 2024 00:00:00 GMT", 1709164800},
        DateCase{"Fri, 11 Apr 2262 23:47:16 GMT", 9223372036},  // system_clock's last second
        DateCase{"Mon, 12 Oct 2009 17:50:30 GMT", 1255369830},
        // RFC 850 two-digit year pivot: 69 -> 2069, 70 -> 1970.
        DateCase{"Thursday, 01-Jan-70 00:00:00 GMT", 0},
        DateCase{"Tuesday, 01-Jan-69 00:00:00 GMT", 3124224000},
        // Leap second folds into the next minute.
        DateCase{"Sat, 31 Dec 2016 23:59:60 GMT", 1483228800},
        // Not dates.
        DateCase{"", std::nullopt}, DateCase{"   ", std::nullopt},
        DateCase{"garbage", std::nullopt}, DateCase{"1994-11-06T08:49:37Z", std::nullopt},
        DateCase{"784111777", std::nullopt},
        DateCase{"Sun, 06 Nov 1994 08:49:37", std::nullopt},      // no zone
        DateCase{"Sun, 06 Nov 1994 08:49:37 PST", std::nullopt},  // other zone
        DateCase{"Sun, 06 Nov 1994 08:49:37 +0100", std::nullopt},
        DateCase{"Sun 06 Nov 1994 08:49:37 GMT", std::nullopt},   // missing comma
        DateCase{"Xyz, 06 Nov 1994 08:49:37 GMT", std::nullopt},  // bad weekday
        DateCase{"06 Nov 1994 08:49:37 GMT", std::nullopt},       // no weekday
        DateCase{"Sun, 06 Foo 1994 08:49:37 GMT", std::nullopt},  // bad month
        DateCase{"Sun, 06 November 1994 08:49:37 GMT", std::nullopt},
        DateCase{"Sun, 00 Nov 1994 08:49:37 GMT", std::nullopt},  // day 0
        DateCase{"Sun, 31 Nov 1994 08:49:37 GMT", std::nullopt},  // 31 November
        DateCase{"Thu, 29 Feb 2001 00:00:00 GMT", std::nullopt},  // not a leap year
        DateCase{"Thu, 29 Feb 1900 00:00:00 GMT", std::nullopt},  // century, not leap
        DateCase{"Sun, 123 Nov 1994 08:49:37 GMT", std::nullopt},
        DateCase{"Sun, 06 Nov 994 08:49:37 GMT", std::nullopt},  // 3-digit year
        DateCase{"Sun, 06 Nov 19944 08:49:37 GMT", std::nullopt},
        DateCase{"Sun, 06 Nov 0000 08:49:37 GMT", std::nullopt},
        DateCase{"Sun, 06 Nov 1994 24:00:00 GMT", std::nullopt},
        DateCase{"Sun, 06 Nov 1994 08:60:00 GMT", std::nullopt},
        DateCase{"Sun, 06 Nov 1994 08:49:61 GMT", std::nullopt},
        DateCase{"Sun, 06 Nov 1994 8:49:37 GMT", std::nullopt},
        DateCase{"Sun, 06 Nov 1994 08:49 GMT", std::nullopt},
        DateCase{"Sun, 06 Nov 1994 08-49-37 GMT", std::nullopt},
        DateCase{"Sun, -6 Nov 1994 08:49:37 GMT", std::nullopt},
        DateCase{"Sun, 06 Nov 1994 08:49:37 GMT extra", std::nullopt},
        DateCase{"Sunday, 06-Nov 08:49:37 GMT", std::nullopt},
        DateCase{"Sunday, 06-Nov-94-1 08:49:37 GMT", std::nullopt},
        DateCase{"Sunday, 06-Nov-94 08:49:37", std::nullopt},
        DateCase{"Sun Nov  6 08:49:37 94", std::nullopt},  // asctime wants 4 digits
        DateCase{"Sun Nov  6 08:49:37 1994 GMT", std::nullopt},
        DateCase{"Sun, Nov  6 08:49:37 1994", std::nullopt}));

TEST(ParseHttpDateTest, ClampsBeyondTheClock) {
  EXPECT_EQ(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT"), TimePoint::max());
  EXPECT_EQ(parse_http_date("Fri, 11 Apr 2262 23:47:17 GMT"), TimePoint::max());
  EXPECT_EQ(parse_http_date("Mon, 01 Jan 0001 00:00:00 GMT"), TimePoint::min());
  EXPECT_EQ(parse_http_date("Tue, 21 Sep 1677 00:00:00 GMT"), TimePoint::min());
  EXPECT_EQ(parse_http_date("Wed, 22 Sep 1677 00:00:00 GMT"), unix_seconds(-9223286400));
}

TEST(FormatHttpDateTest, Formats) {
  EXPECT_EQ(format_http_date(unix_seconds(k1994)), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(format_http_date(unix_seconds(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(format_http_date(unix_seconds(1709164800)), "Thu, 29 Feb 2024 00:00:00 GMT");
  EXPECT_EQ(format_http_date(unix_seconds(-1)), "Wed, 31 Dec 1969 23:59:59 GMT");
}

TEST(FormatHttpDateTest, DropsFractions) {
  EXPECT_EQ(format_http_date(unix_seconds(k1994) + std::chrono::milliseconds(999)),
            "Sun, 06 Nov 1994 08:49:37 GMT");
  // Before the epoch a fraction rounds down, not toward zero.
  EXPECT_EQ(format_http_date(unix_seconds(0) - std::chrono::milliseconds(1)),
            "Wed, 31 Dec 1969 23:59:59 GMT");
}

TEST(FormatHttpDateTest, RoundTripsEveryDayOfAYear) {
  for (std::int64_t s = 1704067200; s < 1704067200 + 366 * 86400; s += 86400 + 3601) {
    const auto t = unix_seconds(s);
    const std::string text = format_http_date(t);
    ASSERT_EQ(parse_http_date(text), t) << text;
  }
}

TEST(FormatHttpDateTest, IgnoresTheLocale) {
  // Names come from our own tables: a German LC_TIME must not leak into HTTP headers.
  const char* old = std::setlocale(LC_TIME, nullptr);
  const std::string saved = old ? old : "C";
  std::setlocale(LC_TIME, "de_DE.UTF-8");  // may be missing; then this checks little
  EXPECT_EQ(format_http_date(unix_seconds(k1994)), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), unix_seconds(k1994));
  std::setlocale(LC_TIME, saved.c_str());
}

TEST(FormatIso8601Test, Formats) {
  EXPECT_EQ(format_iso8601(unix_seconds(1255369830)), "2009-10-12T17:50:30.000Z");
  EXPECT_EQ(format_iso8601(unix_seconds(1255369830) + std::chrono::milliseconds(7)),
            "2009-10-12T17:50:30.007Z");
  EXPECT_EQ(format_iso8601(unix_seconds(1255369830) + std::chrono::microseconds(123999)),
            "2009-10-12T17:50:30.123Z");  // truncated, not rounded
  EXPECT_EQ(format_iso8601(unix_seconds(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(unix_seconds(0) - std::chrono::milliseconds(1)),
            "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601(TimePoint::max()), "2262-04-11T23:47:16.854Z");
  EXPECT_EQ(format_iso8601(TimePoint::min()), "1677-09-21T00:12:43.145Z");
  EXPECT_EQ(format_http_date(TimePoint::max()), "Fri, 11 Apr 2262 23:47:16 GMT");
}

}  // namespace
}  // namespace s3gw::s3
