#pragma once
// The ISO 8601 basic timestamps of SigV4 ("20130524T000000Z", X-Amz-Date) and their date part
// ("20130524", the credential scope). Always UTC.
#include <optional>
#include <string>
#include <string_view>

#include "util/time.h"

namespace s3gw::auth {

// Exactly "YYYYMMDDTHHMMSSZ" with a real calendar date and time in 1970-2200; anything else
// -> nullopt.
std::optional<util::TimePoint> parse_amz_date(std::string_view text);
// "YYYYMMDDTHHMMSSZ"; fractions of a second are dropped.
std::string format_amz_date(util::TimePoint t);

// A Date or x-amz-date header: the RFC 9110 forms, the same with a numeric zone instead of GMT
// ("Tue, 27 Mar 2007 19:36:42 +0000": the S3 documentation's examples, and Python's
// email.utils.formatdate without usegmt), or the basic format above.
std::optional<util::TimePoint> parse_date_header(std::string_view text);

}  // namespace s3gw::auth
