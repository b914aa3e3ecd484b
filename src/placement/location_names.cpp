#include "placement/location_names.h"

#include <algorithm>
#include <array>
#include <vector>

namespace s3gw::placement {
namespace {

// ISO 3166-1 alpha-2, the 249 assigned codes (Debian iso-codes), sorted for binary search.
constexpr std::array<std::string_view, 249> kCountries = {
    "ad", "ae", "af", "ag", "ai", "al", "am", "ao", "aq", "ar", "as", "at", "au", "aw", "ax", "az",
    "ba", "bb", "bd", "be", "bf", "bg", "bh", "bi", "bj", "bl", "bm", "bn", "bo", "bq", "br", "bs",
    "bt", "bv", "bw", "by", "bz", "ca", "cc", "cd", "cf", "cg", "ch", "ci", "ck", "cl", "cm", "cn",
    "co", "cr", "cu", "cv", "cw", "cx", "cy", "cz", "de", "dj", "dk", "dm", "do", "dz", "ec", "ee",
    "eg", "eh", "er", "es", "et", "fi", "fj", "fk", "fm", "fo", "fr", "ga", "gb", "gd", "ge", "gf",
    "gg", "gh", "gi", "gl", "gm", "gn", "gp", "gq", "gr", "gs", "gt", "gu", "gw", "gy", "hk", "hm",
    "hn", "hr", "ht", "hu", "id", "ie", "il", "im", "in", "io", "iq", "ir", "is", "it", "je", "jm",
    "jo", "jp", "ke", "kg", "kh", "ki", "km", "kn", "kp", "kr", "kw", "ky", "kz", "la", "lb", "lc",
    "li", "lk", "lr", "ls", "lt", "lu", "lv", "ly", "ma", "mc", "md", "me", "mf", "mg", "mh", "mk",
    "ml", "mm", "mn", "mo", "mp", "mq", "mr", "ms", "mt", "mu", "mv", "mw", "mx", "my", "mz", "na",
    "nc", "ne", "nf", "ng", "ni", "nl", "no", "np", "nr", "nu", "nz", "om", "pa", "pe", "pf", "pg",
    "ph", "pk", "pl", "pm", "pn", "pr", "ps", "pt", "pw", "py", "qa", "re", "ro", "rs", "ru", "rw",
    "sa", "sb", "sc", "sd", "se", "sg", "sh", "si", "sj", "sk", "sl", "sm", "sn", "so", "sr", "ss",
    "st", "sv", "sx", "sy", "sz", "tc", "td", "tf", "tg", "th", "tj", "tk", "tl", "tm", "tn", "to",
    "tr", "tt", "tv", "tw", "tz", "ua", "ug", "um", "us", "uy", "uz", "va", "vc", "ve", "vg", "vi",
    "vn", "vu", "wf", "ws", "ye", "yt", "za", "zm", "zw",
};

std::vector<std::string_view> split_dash(std::string_view s) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dash = s.find('-', start);
    parts.push_back(s.substr(start, dash == std::string_view::npos ? dash : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  return parts;
}

}  // namespace

bool is_country_code(std::string_view code) {
  return code.size() == 2 && std::binary_search(kCountries.begin(), kCountries.end(), code);
}

bool is_name_token(std::string_view token) {
  if (token.empty() || token.size() > kMaxNameToken) return false;
  return std::all_of(token.begin(), token.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

std::optional<RegionName> parse_region_id(std::string_view id) {
  const auto parts = split_dash(id);
  if (parts.size() != 2 || !is_country_code(parts[0]) || !is_name_token(parts[1])) {
    return std::nullopt;
  }
  return RegionName{std::string(parts[0]), std::string(parts[1])};
}

std::optional<ZoneName> parse_zone_id(std::string_view id) {
  const auto parts = split_dash(id);
  if (parts.size() != 4 || !is_country_code(parts[0]) || !is_name_token(parts[1]) ||
      !is_name_token(parts[2])) {
    return std::nullopt;
  }
  const std::string_view n = parts[3];
  if (n.empty() || n.size() > 6 || n[0] == '0') return std::nullopt;
  unsigned number = 0;
  for (char c : n) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + static_cast<unsigned>(c - '0');
  }
  return ZoneName{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]), number};
}

}  // namespace s3gw::placement
