#pragma once
// HTTP dates (RFC 9110 §5.6.7) and the ISO 8601 timestamps of S3 XML bodies. Always UTC;
// no locale is consulted.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace s3gw::s3 {

// Accepts the three forms RFC 9110 requires a recipient to accept:
//   IMF-fixdate (RFC 1123)  "Sun, 06 Nov 1994 08:49:37 GMT"
//   RFC 850                 "Sunday, 06-Nov-94 08:49:37 GMT"  (yy < 70 -> 20yy, else 19yy)
//   asctime                 "Sun Nov  6 08:49:37 1994"
// Leniencies clients rely on: names are case-insensitive, runs of spaces count as one, the zone
// may be "GMT" or "UTC", a one-digit day is accepted. The weekday is checked for spelling only,
// not against the date. Anything else (including impossible dates like 31 Feb) -> nullopt.
// Dates beyond what system_clock holds (1677-2262 with libstdc++) clamp to its min()/max().
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

// IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT"; fractions of a second are dropped.
std::string format_http_date(std::chrono::system_clock::time_point t);

// "2009-10-12T17:50:30.000Z" (milliseconds, truncated), as S3 writes LastModified in XML.
std::string format_iso8601(std::chrono::system_clock::time_point t);

// An ISO 8601 date and time as clients send object-lock dates: "YYYY-MM-DDTHH:MM:SS", an
// optional fraction (kept to the millisecond), then "Z" or an offset ("+02:00", "+0200");
// also the basic form "YYYYMMDDTHHMMSSZ". No zone, or anything else: nullopt. Dates beyond
// system_clock's range clamp as parse_http_date's do.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

}  // namespace s3gw::s3
