#pragma once
// The rules every provider entry and declared region obey, whichever file format they come
// from. A check answers with the first rule broken, as a sentence without the file position
// (the loaders prefix "<file>: <entry>: ").
#include <optional>
#include <string>

#include "placement/provider.h"
#include "placement/region.h"

namespace s3gw::placement {

inline constexpr int kMaxPriority = 1000000;

// Fills defaults (name = id) and checks: id and city are [a-z0-9]{1,16}; country an ISO 3166
// alpha-2 code in lower case; at least one zone, each "{country}-{city}-{id}-{n}" of this
// entry, none twice; s3 entries have an http(s) endpoint without user info and their
// credentials as both environment variable names or a file (a profile only with a file);
// filesystem entries have no endpoint, no credentials and no tls settings; tls settings only
// with an https endpoint, a CA file and insecure_skip_verify not both; known capabilities,
// none twice; 0 <= priority <= 1000000.
std::optional<std::string> check_provider(Provider& provider);

// id is "{country}-{city}" with a real country code; country and city match it.
std::optional<std::string> check_region(Region& region);

}  // namespace s3gw::placement
