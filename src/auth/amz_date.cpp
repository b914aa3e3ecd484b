#include "auth/amz_date.h"

#include <chrono>
#include <cstdio>
#include <string>

#include "s3/http_date.h"

namespace s3gw::auth {
namespace {

std::optional<int> digits(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

std::optional<util::TimePoint> parse_amz_date(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') {
    return std::nullopt;
  }
  const auto year = digits(text.substr(0, 4));
  const auto month = digits(text.substr(4, 2));
  const auto day = digits(text.substr(6, 2));
  const auto hour = digits(text.substr(9, 2));
  const auto minute = digits(text.substr(11, 2));
  const auto second = digits(text.substr(13, 2));
  if (!year || !month || !day || !hour || !minute || !second) {
    return std::nullopt;
  }
  // A leap second (60) is not something a client clock writes into a signature.
  if (*hour > 23 || *minute > 59 || *second > 59) {
    return std::nullopt;
  }
  // The clock counts nanoseconds in 64 bits (1677-2262); no request is signed outside that.
  if (*year < 1970 || *year > 2200) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year(*year),
                                        std::chrono::month(static_cast<unsigned>(*month)),
                                        std::chrono::day(static_cast<unsigned>(*day))};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  const auto t = std::chrono::sys_days(ymd) + std::chrono::hours(*hour) +
                 std::chrono::minutes(*minute) + std::chrono::seconds(*second);
  return std::chrono::time_point_cast<util::Clock::duration>(t);
}

std::string format_amz_date(util::TimePoint t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const auto days = std::chrono::floor<std::chrono::days>(secs);
  const std::chrono::year_month_day ymd(days);
  const std::chrono::hh_mm_ss hms(secs - days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::optional<util::TimePoint> parse_date_header(std::string_view text) {
  if (auto t = s3::parse_http_date(text)) {
    return t;
  }
  // "... hh:mm:ss +hhmm": parse the rest as GMT, then undo the offset.
  if (text.size() > 6 && text[text.size() - 6] == ' ' &&
      (text[text.size() - 5] == '+' || text[text.size() - 5] == '-')) {
    const auto hh = digits(text.substr(text.size() - 4, 2));
    const auto mm = digits(text.substr(text.size() - 2, 2));
    if (hh && mm && *hh < 24 && *mm < 60) {
      std::string gmt(text.substr(0, text.size() - 5));
      gmt += "GMT";
      if (auto t = s3::parse_http_date(gmt)) {
        const auto offset = std::chrono::hours(*hh) + std::chrono::minutes(*mm);
        // Local time = UTC + offset, so UTC = local - offset.
        return text[text.size() - 5] == '+' ? *t - offset : *t + offset;
      }
    }
  }
  return parse_amz_date(text);
}

}  // namespace s3gw::auth
