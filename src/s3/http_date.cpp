#include "s3/http_date.h"

#include <array>
#include <cstdio>
#include <ctime>
#include <vector>

#include "util/strings.h"

namespace s3gw::s3 {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> kLongDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};

// 1..12, or 0 when not a month name.
int month_number(std::string_view s) {
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (util::iequals_ascii(s, kMonths[i])) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool is_weekday(std::string_view s) {
  for (std::size_t i = 0; i < kDays.size(); ++i) {
    if (util::iequals_ascii(s, kDays[i]) || util::iequals_ascii(s, kLongDays[i])) return true;
  }
  return false;
}

// A number of min_digits..max_digits ASCII digits, or -1.
int parse_number(std::string_view s, std::size_t min_digits, std::size_t max_digits) {
  if (s.size() < min_digits || s.size() > max_digits) return -1;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

bool is_utc_zone(std::string_view s) {
  return util::iequals_ascii(s, "GMT") || util::iequals_ascii(s, "UTC");
}

struct Fields {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

// "HH:MM:SS"
bool parse_clock(std::string_view s, Fields& f) {
  if (s.size() != 8 || s[2] != ':' || s[5] != ':') return false;
  f.hour = parse_number(s.substr(0, 2), 2, 2);
  f.minute = parse_number(s.substr(3, 2), 2, 2);
  f.second = parse_number(s.substr(6, 2), 2, 2);
  return f.hour >= 0 && f.minute >= 0 && f.second >= 0;
}

// Four digits, or two (RFC 850, old RFC 822 dates) pivoted at 1970; -1 otherwise.
int parse_year(std::string_view s) {
  if (s.size() != 2 && s.size() != 4) return -1;
  const int year = parse_number(s, 2, 4);
  if (year < 0 || s.size() == 4) return year;
  return year < 70 ? 2000 + year : 1900 + year;
}

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int year, int month) {
  constexpr std::array<int, 12> kLength = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kLength[static_cast<std::size_t>(month - 1)];
}

std::optional<TimePoint> to_time_point(const Fields& f) {
  if (f.year < 1 || f.month < 1 || f.month > 12 || f.day < 1 ||
      f.day > days_in_month(f.year, f.month) || f.hour > 23 || f.minute > 59 ||
      f.second > 60) {  // 60: a leap second, which timegm folds into the next minute
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = f.year - 1900;
  tm.tm_mon = f.month - 1;
  tm.tm_mday = f.day;
  tm.tm_hour = f.hour;
  tm.tm_min = f.minute;
  tm.tm_sec = f.second;
  const std::time_t t = timegm(&tm);
  // system_clock counts nanoseconds here, so it spans only 1677-2262; a date beyond that
  // clamps to the end of the range, which keeps every comparison's answer.
  using Secs = std::chrono::seconds;
  const auto lo = std::chrono::floor<Secs>(TimePoint::min().time_since_epoch()).count() + 1;
  const auto hi = std::chrono::floor<Secs>(TimePoint::max().time_since_epoch()).count();
  if (t < lo) return TimePoint::min();
  if (t > hi) return TimePoint::max();
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(Secs(t)));
}

std::vector<std::string_view> split_spaces(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// "Sun," "06" "Nov" "1994" "08:49:37" "GMT"
std::optional<TimePoint> parse_imf(const std::vector<std::string_view>& t) {
  Fields f;
  f.day = parse_number(t[1], 1, 2);
  f.month = month_number(t[2]);
  f.year = parse_year(t[3]);
  if (f.day < 0 || f.month == 0 || f.year < 0 || !parse_clock(t[4], f) || !is_utc_zone(t[5])) {
    return std::nullopt;
  }
  return to_time_point(f);
}

// "Sunday," "06-Nov-94" "08:49:37" "GMT"
std::optional<TimePoint> parse_rfc850(const std::vector<std::string_view>& t) {
  const std::string_view date = t[1];
  const std::size_t d1 = date.find('-');
  const std::size_t d2 = date.find('-', d1 == std::string_view::npos ? d1 : d1 + 1);
  if (d1 == std::string_view::npos || d2 == std::string_view::npos) return std::nullopt;
  Fields f;
  f.day = parse_number(date.substr(0, d1), 1, 2);
  f.month = month_number(date.substr(d1 + 1, d2 - d1 - 1));
  f.year = parse_year(date.substr(d2 + 1));
  if (f.day < 0 || f.month == 0 || f.year < 0 || !parse_clock(t[2], f) || !is_utc_zone(t[3])) {
    return std::nullopt;
  }
  return to_time_point(f);
}

// "Sun" "Nov" "6" "08:49:37" "1994"
std::optional<TimePoint> parse_asctime(const std::vector<std::string_view>& t) {
  Fields f;
  f.month = month_number(t[1]);
  f.day = parse_number(t[2], 1, 2);
  f.year = parse_number(t[4], 4, 4);
  if (f.month == 0 || f.day < 0 || f.year < 0 || !parse_clock(t[3], f)) return std::nullopt;
  return to_time_point(f);
}

// Whole seconds since the epoch, rounded down (also before 1970).
std::tm to_utc_tm(TimePoint t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  const auto tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}

}  // namespace

std::optional<TimePoint> parse_http_date(std::string_view text) {
  const std::vector<std::string_view> t = split_spaces(text);
  if (t.empty()) return std::nullopt;
  std::string_view weekday = t[0];
  const bool comma = weekday.ends_with(',');
  if (comma) weekday.remove_suffix(1);
  if (!is_weekday(weekday)) return std::nullopt;
  if (comma && t.size() == 6) return parse_imf(t);
  if (comma && t.size() == 4) return parse_rfc850(t);
  if (!comma && t.size() == 5) return parse_asctime(t);
  return std::nullopt;
}

std::string format_http_date(TimePoint t) {
  const std::tm tm = to_utc_tm(t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                kDays[static_cast<std::size_t>(tm.tm_wday)].data(), tm.tm_mday,
                kMonths[static_cast<std::size_t>(tm.tm_mon)].data(), tm.tm_year + 1900, tm.tm_hour,
                tm.tm_min, tm.tm_sec);
  return buf;
}

std::optional<TimePoint> parse_iso8601(std::string_view s) {
  Fields f;
  std::size_t i = 0;
  auto number = [&](std::size_t digits) {
    const int v = i + digits <= s.size() ? parse_number(s.substr(i, digits), digits, digits) : -1;
    i += digits;
    return v;
  };
  auto expect = [&](char c) {
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  };
  const bool basic = s.size() > 8 && s[8] == 'T';  // 20300101T000000Z
  f.year = number(4);
  if (!basic && !expect('-')) return std::nullopt;
  f.month = number(2);
  if (!basic && !expect('-')) return std::nullopt;
  f.day = number(2);
  if (!expect('T') && !expect('t')) return std::nullopt;
  f.hour = number(2);
  if (!basic && !expect(':')) return std::nullopt;
  f.minute = number(2);
  if (!basic && !expect(':')) return std::nullopt;
  f.second = number(2);
  if (f.year < 0 || f.month < 0 || f.day < 0 || f.hour < 0 || f.minute < 0 || f.second < 0) {
    return std::nullopt;
  }
  int millis = 0;
  if (expect('.') || expect(',')) {
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (i - start < 3) millis = millis * 10 + (s[i] - '0');
      ++i;
    }
    if (i == start || i - start > 9) return std::nullopt;
    for (std::size_t n = i - start; n < 3; ++n) millis *= 10;
  }
  int offset_minutes = 0;
  if (!expect('Z') && !expect('z')) {
    int sign = 0;
    if (expect('+')) sign = 1;
    if (sign == 0 && expect('-')) sign = -1;
    if (sign == 0) return std::nullopt;
    const int hours = number(2);
    expect(':');
    const int minutes = number(2);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return std::nullopt;
    offset_minutes = sign * (hours * 60 + minutes);
  }
  if (i != s.size()) return std::nullopt;
  const auto t = to_time_point(f);
  if (!t) return t;
  // Within a day of the clock's ends, the fraction and offset could overflow it: clamp.
  constexpr auto kDay = std::chrono::hours(24);
  if (*t > TimePoint::max() - kDay) return TimePoint::max();
  if (*t < TimePoint::min() + kDay) return TimePoint::min();
  return *t + std::chrono::milliseconds(millis) - std::chrono::minutes(offset_minutes);
}

std::string format_iso8601(TimePoint t) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch());
  const auto millis = (ms - std::chrono::floor<std::chrono::seconds>(ms)).count();
  const std::tm tm = to_utc_tm(t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

}  // namespace s3gw::s3
