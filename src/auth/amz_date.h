#pragma once
// The ISO 8601 basic timestamps of SigV4 ("20130524T000000Z", X-Amz-Date) and their date part
// ("20130524", the credential scope). Always UTC.
#include <optional>
#include <string>
#include <string_view>

#include "util/time.h"

namespace s3gw::auth {

// Exactly "YYYYMMDDTHHMMSSZ" with a real calendar date and time; anything else -> nullopt.
std::optional<util::TimePoint> parse_amz_date(std::string_view text);
// "YYYYMMDDTHHMMSSZ"; fractions of a second are dropped.
std::string format_amz_date(util::TimePoint t);

}  // namespace s3gw::auth
